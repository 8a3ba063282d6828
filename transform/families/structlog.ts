import type { JsonFamily } from './family.js';
import type { ErrorRead } from './mapping.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** structlog's `dict_tracebacks` (a list of `{exc_type, exc_value, frames}`): the last exception. */
function dictTraceback(v: unknown): ErrorRead | undefined {
  if (!Array.isArray(v) || v.length === 0) return undefined;
  const last = v[v.length - 1];
  if (!isRec(last) || typeof last['exc_type'] !== 'string') return undefined;
  const fields: ErrorRead['fields'] = { type: last['exc_type'] };
  if (typeof last['exc_value'] === 'string') fields.message = last['exc_value'];
  return { fields };
}

/**
 * structlog's `JSONRenderer`: the message is `event`; `level`, `timestamp`, `logger` as its
 * processors add them; `exception` as a formatted traceback or `dict_tracebacks`' list (which
 * also stays in attributes, frames and all).
 */
export const structlog: JsonFamily = {
  title: 'structlog (JSONRenderer)',
  markers: ['event'],
  match: (o) =>
    typeof o['event'] === 'string' &&
    !('message' in o) &&
    !('msg' in o) &&
    ('level' in o || 'log_level' in o || 'timestamp' in o || 'logger' in o),
  recognisedBy:
    'a string `event`, no `message` / `msg`, and one of `level`, `log_level`, `timestamp`, `logger`',
  mapping: {
    format: 'structlog',
    fields: [
      { role: 'time', path: 'timestamp' },
      { role: 'level', path: 'level' },
      { role: 'level', path: 'log_level' },
      { role: 'message', path: 'event' },
      { role: 'logger', path: 'logger' },
      { role: 'error', path: 'exception', read: dictTraceback, keep: true, note: 'dict_tracebacks' },
      { role: 'error', path: 'exception' },
    ],
  },
};
