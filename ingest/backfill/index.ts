export {
  BACKFILL_ERROR_CODES,
  BackfillError,
  type BackfillOptions,
  type BackfillReport,
  backfill,
  type GroupReport,
} from './backfill.js';
export {
  BACKFILL_FILTER_NAME,
  type BackfillRecord,
  type HistoryEvent,
  MAX_PAYLOAD_EVENTS,
  MAX_PAYLOAD_JSON_BYTES,
  PayloadPacker,
} from './payloads.js';
