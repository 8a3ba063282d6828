import { LOG_LEVELS, type LogEvent } from '../../transform/schema.js';

/** One row of the `events` table (see `schema.ts`). */
export interface EventRow {
  readonly id: string;
  readonly ts: number;
  readonly level: string;
  readonly level_num: number;
  readonly service: string;
  readonly transaction_id: string | null;
  readonly trace_id: string | null;
  readonly message: string;
  readonly error_text: string;
  readonly doc: string;
}

/** Number of a level (trace 0 … fatal 5), for "at least warn" style filters. */
export const levelNumber = (level: string): number => {
  const n = (LOG_LEVELS as readonly string[]).indexOf(level);
  return n < 0 ? 2 : n;
};

/**
 * Turns an event into a row, or explains (without echoing content) why it cannot be stored.
 * Pure; the store validates every event through this before opening a transaction, so one bad
 * event never rolls back its neighbours.
 */
export function toRow(event: LogEvent): { ok: true; row: EventRow } | { ok: false; reason: string } {
  const id = event.event?.id;
  if (typeof id !== 'string' || id.length === 0)
    return { ok: false, reason: 'event.id is missing; expected a non-empty string' };
  const ts = Date.parse(event['@timestamp']);
  if (!Number.isFinite(ts)) return { ok: false, reason: '@timestamp is not a valid ISO 8601 time' };
  const level = event.log?.level;
  if (typeof level !== 'string')
    return { ok: false, reason: 'log.level is missing; expected one of trace…fatal' };
  const service = event.service?.name;
  if (typeof service !== 'string') return { ok: false, reason: 'service.name is missing; expected a string' };
  const err = event.error;
  const errorText = err
    ? [err.type, err.message, err.stack_trace].filter((s) => typeof s === 'string').join('\n')
    : '';
  return {
    ok: true,
    row: {
      id,
      ts,
      level,
      level_num: levelNumber(level),
      service,
      transaction_id: event.transaction?.id ?? null,
      trace_id: event.trace?.id ?? null,
      message: typeof event.message === 'string' ? event.message : '',
      error_text: errorText,
      doc: JSON.stringify(event),
    },
  };
}
