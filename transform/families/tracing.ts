import type { JsonFamily } from './family.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Rust `tracing-subscriber`'s JSON format: the message under `fields.message` (or top-level
 * with `flatten_event`), `target` as the logger; `span` / `spans` and the other fields stay in
 * attributes.
 */
export const tracing: JsonFamily = {
  title: 'Rust tracing-subscriber JSON',
  markers: ['target'],
  match: (o) => typeof o['target'] === 'string' && (isRec(o['fields']) || 'spans' in o || 'span' in o),
  recognisedBy: 'a string `target` with a `fields` object or `span` / `spans`',
  mapping: {
    format: 'tracing',
    fields: [
      { role: 'time', path: 'timestamp' },
      { role: 'level', path: 'level' },
      { role: 'message', path: ['fields', 'message'] },
      { role: 'message', path: 'message' },
      { role: 'logger', path: 'target' },
    ],
  },
};
