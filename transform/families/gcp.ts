import { parseTraceId } from '../ids.js';
import { isoFromMs } from '../time.js';
import type { JsonFamily } from './family.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `projects/<project>/traces/<32 hex>` (or a bare id). */
function cloudTrace(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const slash = v.lastIndexOf('/');
  return parseTraceId(slash === -1 ? v : v.slice(slash + 1));
}

/** `{"seconds": …, "nanos": …}` (the LogEntry timestamp as a JSON object). */
function secondsNanos(v: unknown): string | undefined {
  if (!isRec(v)) return undefined;
  const s = Number(v['seconds']);
  const n = v['nanos'] === undefined ? 0 : Number(v['nanos']);
  if (!Number.isFinite(s) || !Number.isFinite(n)) return undefined;
  return isoFromMs(s * 1000 + Math.trunc(n / 1e6));
}

/**
 * Google Cloud Logging structured JSON (what the Logging agent and Cloud Run / Functions read
 * from stdout): `severity`, `message`, `time` or `timestamp`, the `logging.googleapis.com/*`
 * special fields, `stack_trace` as Error Reporting reads it.
 */
export const gcp: JsonFamily = {
  title: 'Google Cloud Logging structured JSON',
  markers: [
    'logging.googleapis.com/trace',
    'logging.googleapis.com/spanId',
    'logging.googleapis.com/sourceLocation',
    'logging.googleapis.com/labels',
    'logging.googleapis.com/insertId',
    'logging.googleapis.com/trace_sampled',
  ],
  match: () => true,
  recognisedBy: 'a `logging.googleapis.com/…` special field',
  mapping: {
    format: 'gcp',
    fields: [
      { role: 'time', path: 'time' },
      { role: 'time', path: 'timestamp', read: secondsNanos, note: '{seconds, nanos}' },
      { role: 'time', path: 'timestamp' },
      { role: 'level', path: 'severity' },
      { role: 'message', path: 'message' },
      {
        role: 'trace',
        path: 'logging.googleapis.com/trace',
        read: cloudTrace,
        note: 'projects/…/traces/<id>',
      },
      { role: 'span', path: 'logging.googleapis.com/spanId' },
      { role: 'stack', path: 'stack_trace' },
    ],
  },
};
