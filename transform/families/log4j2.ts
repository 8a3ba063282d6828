import { stackText } from '../error-fields.js';
import { isoFromMs } from '../time.js';
import type { JsonFamily } from './family.js';
import type { ErrorRead } from './mapping.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** `instant: {epochSecond, nanoOfSecond}`. */
function instant(v: unknown): string | undefined {
  if (!isRec(v)) return undefined;
  const s = Number(v['epochSecond']);
  const n = v['nanoOfSecond'] === undefined ? 0 : Number(v['nanoOfSecond']);
  return Number.isFinite(s) && Number.isFinite(n) ? isoFromMs(s * 1000 + Math.trunc(n / 1e6)) : undefined;
}

/** A stack frame object of JsonLayout (`{class, method, file, line}`) as a Java frame line. */
function frame(x: unknown): string | undefined {
  if (!isRec(x) || typeof x['class'] !== 'string') return undefined;
  const where =
    typeof x['file'] === 'string'
      ? `${x['file']}${x['line'] === undefined ? '' : `:${String(x['line'])}`}`
      : 'Unknown Source';
  return `\tat ${x['class']}.${String(x['method'] ?? '?')}(${where})`;
}

/** `thrown: {name, message, extendedStackTrace}` (a text, or JsonLayout's list of frames). */
function thrown(v: unknown): ErrorRead | undefined {
  if (!isRec(v)) return undefined;
  const fields: ErrorRead['fields'] = {};
  if (typeof v['name'] === 'string') fields.type = v['name'];
  const message = v['message'] ?? v['localizedMessage'];
  if (typeof message === 'string') fields.message = message;
  const st = v['extendedStackTrace'] ?? v['stackTrace'];
  let stack = stackText(st);
  if (stack === undefined && Array.isArray(st)) {
    const lines = st.map(frame);
    if (lines.every((l) => l !== undefined)) {
      stack = [`${fields.type ?? 'Throwable'}${fields.message ? `: ${fields.message}` : ''}`, ...lines].join(
        '\n',
      );
    }
  }
  if (stack !== undefined && stack !== '') fields.stack_trace = stack;
  if (fields.type === undefined && fields.message === undefined && fields.stack_trace === undefined)
    return undefined;
  let rest: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    if (['name', 'message', 'localizedMessage', 'extendedStackTrace', 'stackTrace'].includes(k)) continue;
    rest ??= {};
    rest[k] = v[k];
  }
  return { fields, rest };
}

/**
 * log4j2's `JsonLayout` and JsonTemplateLayout's `JsonLayout.json` template: `instant` (or
 * `timeMillis`), `level`, `loggerName`, `message`, `thrown`; `contextMap` (MDC) and the rest stay
 * in attributes.
 */
export const log4j2: JsonFamily = {
  title: 'log4j2 JsonLayout (and JsonTemplateLayout `JsonLayout.json`)',
  markers: ['loggerName', 'loggerFqcn'],
  match: (o) =>
    typeof o['loggerName'] === 'string' && ('instant' in o || 'timeMillis' in o || 'loggerFqcn' in o),
  recognisedBy: '`loggerName` with `instant`, `timeMillis` or `loggerFqcn`',
  mapping: {
    format: 'log4j2',
    fields: [
      { role: 'time', path: 'instant', read: instant, note: '{epochSecond, nanoOfSecond}' },
      {
        role: 'time',
        path: 'timeMillis',
        read: (v) => (typeof v === 'number' ? isoFromMs(v) : undefined),
        note: 'epoch ms',
      },
      { role: 'level', path: 'level' },
      { role: 'message', path: 'message' },
      { role: 'logger', path: 'loggerName' },
      { role: 'error', path: 'thrown', read: thrown, note: 'name / message / extendedStackTrace' },
    ],
  },
};
