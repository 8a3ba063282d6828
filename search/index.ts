export { QuerySyntaxError, SEARCH_ERROR_CODES, SearchBackendError, SearchRequestError } from './errors.js';
export { fillBuckets, pickInterval } from './histogram.js';
export {
  type Clause,
  FIELD_ALIASES,
  formatQuery,
  type ParsedQuery,
  parseQuery,
  resolveField,
} from './query.js';
export { createSqliteSearch } from './sqlite.js';
export { summarizeTrace } from './trace.js';
export type {
  FacetCount,
  HistogramBucket,
  SearchBackend,
  SearchRequest,
  SearchResponse,
  TailResponse,
  TraceResponse,
  TraceServiceSpan,
  TraceSummary,
} from './types.js';
