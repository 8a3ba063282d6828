/** An item of a bulk response, as returned with `filter_path=errors,items.*.status,items.*.error,items.*._index`. */
export interface BulkResponseItem {
  readonly status: number;
  /** The backing index the document went to (or would have). */
  readonly _index?: string;
  readonly error?: { readonly type?: string; readonly reason?: string; readonly caused_by?: unknown };
}

/** What to do with one document after a bulk response. */
export type ItemVerdict =
  | { readonly kind: 'indexed' }
  | { readonly kind: 'duplicate' }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'heal'; readonly field: string; readonly reason: string }
  | { readonly kind: 'reject'; readonly reason: string }
  | { readonly kind: 'unauthorized'; readonly reason: string };

/**
 * Item error types that say the cluster cannot take writes right now — a write block (incl. the
 * `read_only_allow_delete` block a full disk sets), rejected or broken-circuit thread pools,
 * unavailable shards, a node leaving. Nothing is wrong with the document: back-pressure, retried.
 */
const CLUSTER_CONDITION_TYPES: ReadonlySet<string> = new Set([
  'cluster_block_exception',
  'es_rejected_execution_exception',
  'rejected_execution_exception',
  'circuit_breaking_exception',
  'unavailable_shards_exception',
  'no_shard_available_action_exception',
  'primary_missing_action_exception',
  'shard_not_found_exception',
  'node_not_connected_exception',
  'node_closed_exception',
  'connect_transport_exception',
  'receive_timeout_transport_exception',
  'process_cluster_event_timeout_exception',
  'timeout_exception',
  'not_master_exception',
  'not_cluster_manager_exception',
]);

/** Error types that mean "this value does not fit the mapping" (healable when a field is named). */
const MAPPING_ERROR_TYPES: ReadonlySet<string> = new Set([
  'mapper_parsing_exception',
  'document_parsing_exception',
  'strict_dynamic_mapping_exception',
  'illegal_argument_exception',
]);

// All linear: one bracketed or quoted token, no nested quantifiers.
const FIELD_PATTERNS: readonly RegExp[] = [
  /DocValuesField "([^"\s]+)" is too large/,
  /failed to parse field \[([^\]\s]+)\]/,
  /object mapping for \[([^\]\s]+)\]/,
  /field="([^"\s]+)"/,
  /mapper \[([^\]\s]+)\]/,
  /field \[([^\]\s]+)\]/,
];
const DYNAMIC = /dynamic introduction of \[([^\]\s]+)\] within \[([^\]\s]+)\]/;

function reasons(error: BulkResponseItem['error']): string[] {
  const out: string[] = [];
  let e: unknown = error;
  for (let depth = 0; depth < 5 && e && typeof e === 'object'; depth++) {
    const reason = (e as { reason?: unknown }).reason;
    if (typeof reason === 'string') out.push(reason);
    e = (e as { caused_by?: unknown }).caused_by;
  }
  return out;
}

// The internal sub-fields a flat_object field indexes its leaves into.
const FLAT_OBJECT_SUBFIELD = /\._(?:value|valueAndPath|path)$/;

/**
 * The document field a mapping error names (dotted path), if it names one. An internal sub-field
 * of a flat_object field (`attributes._valueAndPath`) names the flat_object field itself.
 */
export function offendingField(error: BulkResponseItem['error']): string | undefined {
  for (const reason of reasons(error)) {
    const dyn = DYNAMIC.exec(reason);
    if (dyn) return dyn[2] === '_doc' ? dyn[1] : `${dyn[2]}.${dyn[1]}`;
    for (const re of FIELD_PATTERNS) {
      const m = re.exec(reason);
      if (m?.[1]) return m[1].replace(FLAT_OBJECT_SUBFIELD, '');
    }
  }
  return undefined;
}

/** A description of an item error that names its type and field, never the document's content. */
export function describeItemError(status: number, error: BulkResponseItem['error']): string {
  const type = error?.type ?? 'error';
  const field = offendingField(error);
  return `${type}${field ? ` on field [${field}]` : ''} (status ${status})`;
}

/**
 * Classifies one bulk response item. Pure. Only a 400 — something wrong with the document itself
 * (a mapping conflict, a parse error) — is healed or rejected (dead-lettered). A cluster-wide,
 * transient condition (429, 5xx, {@link CLUSTER_CONDITION_TYPES} such as a write block, whatever
 * its status) is retried; a 401/403 (credentials, or a role without write access) is
 * `unauthorized` and any other refusal (404 of a missing index) `refused`: not the document's
 * fault either, handed back undelivered.
 */
export function classifyItem(item: BulkResponseItem): ItemVerdict {
  const { status, error } = item;
  if (status < 300) return { kind: 'indexed' };
  if (status === 409) return { kind: 'duplicate' };
  const reason = describeItemError(status, error);
  if (status === 429 || status >= 500 || (error?.type && CLUSTER_CONDITION_TYPES.has(error.type))) {
    return { kind: 'retry', reason };
  }
  if (status === 401 || status === 403) return { kind: 'unauthorized', reason };
  if (status !== 400) return { kind: 'refused', reason };
  if (error?.type && MAPPING_ERROR_TYPES.has(error.type)) {
    const field = offendingField(error);
    if (field) return { kind: 'heal', field, reason };
  }
  return { kind: 'reject', reason };
}

/**
 * What the cluster said about a refused request: the error type and the security plugin's
 * reason (which names the missing permission and the user, never a document), capped.
 */
export function authHint(err: unknown): string {
  const body = (err as { meta?: { body?: unknown } } | null)?.meta?.body;
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error === 'string') return error.slice(0, 300);
  const e = error as { type?: unknown; reason?: unknown } | undefined;
  const type = typeof e?.type === 'string' ? e.type : 'credentials or permissions refused';
  return typeof e?.reason === 'string' ? `${type}: ${e.reason.slice(0, 300)}` : type;
}

/** What to do when a whole bulk request failed. */
export type RequestVerdict =
  | { readonly kind: 'split'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string }
  | { readonly kind: 'aborted'; readonly reason: string }
  | { readonly kind: 'unauthorized'; readonly reason: string }
  | { readonly kind: 'fatal'; readonly reason: string };

const RETRYABLE_CLIENT_ERRORS: ReadonlySet<string> = new Set([
  'ConnectionError',
  'TimeoutError',
  'NoLivingConnectionsError',
  'DeserializationError',
]);

/** The `error.type` of a failed request's JSON body (`err.meta.body` of the client's ResponseError). */
function responseErrorType(err: unknown): string | undefined {
  const body = (err as { meta?: { body?: unknown } } | null)?.meta?.body;
  const e = (body as { error?: unknown } | null | undefined)?.error;
  const type = (e as { type?: unknown } | null | undefined)?.type;
  return typeof type === 'string' ? type : undefined;
}

/**
 * Classifies an error thrown by `client.bulk` (the client's error classes, by name): 413 → split,
 * 429/5xx/connection/timeout and a cluster-wide condition of any status (e.g. a 403
 * `cluster_block_exception` of a read-only cluster) → retry; 401/403 otherwise → unauthorized (not
 * retried: credentials or permissions do not fix themselves); other 4xx and signer errors → fatal.
 * Unknown errors are retried (then handed back as not delivered): nothing is dropped on a guess.
 */
export function classifyRequestError(err: unknown): RequestVerdict {
  const name = err instanceof Error ? err.name : typeof err;
  const status = (err as { statusCode?: unknown } | null)?.statusCode;
  if (name === 'ResponseError' && typeof status === 'number') {
    const type = responseErrorType(err);
    const reason = `HTTP ${status}${type ? ` ${type}` : ''} from the bulk endpoint`;
    if (status === 413) return { kind: 'split', reason };
    if (status === 429 || status >= 500 || (type && CLUSTER_CONDITION_TYPES.has(type))) {
      return { kind: 'retry', reason };
    }
    if (status === 401 || status === 403)
      return { kind: 'unauthorized', reason: `HTTP ${status} from the bulk endpoint (${authHint(err)})` };
    return { kind: 'fatal', reason };
  }
  if (name === 'RequestAbortedError' || name === 'AbortError') return { kind: 'aborted', reason: 'aborted' };
  if (RETRYABLE_CLIENT_ERRORS.has(name)) return { kind: 'retry', reason: name };
  if (name === 'AwsSigv4SignerError' || name === 'ConfigurationError') return { kind: 'fatal', reason: name };
  return { kind: 'retry', reason: name };
}
