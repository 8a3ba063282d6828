import { stackText } from '../error-fields.js';
import type { JsonFamily } from './family.js';
import type { ErrorRead } from './mapping.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** log4j2 LogstashLayout / `LogstashJsonEventLayoutV1`: `exception: {exception_class, exception_message, stacktrace}`. */
function logstashException(v: unknown): ErrorRead | undefined {
  if (!isRec(v)) return undefined;
  const type = v['exception_class'];
  const message = v['exception_message'];
  const stack = stackText(v['stacktrace']);
  if (typeof type !== 'string' && typeof message !== 'string' && stack === undefined) return undefined;
  const fields: ErrorRead['fields'] = {};
  if (typeof type === 'string') fields.type = type;
  if (typeof message === 'string') fields.message = message;
  if (stack !== undefined && stack !== '') fields.stack_trace = stack;
  let rest: Record<string, unknown> | undefined;
  for (const k of Object.keys(v)) {
    if (k === 'exception_class' || k === 'exception_message' || k === 'stacktrace') continue;
    rest ??= {};
    rest[k] = v[k];
  }
  return { fields, rest };
}

/**
 * The Logstash JSON event shape: logstash-logback-encoder (`LogstashEncoder`), log4j2's
 * LogstashLayout and JsonTemplateLayout `LogstashJsonEventLayoutV1` template: `@timestamp`,
 * `@version`, `message`, `level`, `logger_name`, `thread_name`, `stack_trace` or an `exception`
 * object. MDC entries (`trace_id`, `span_id`…) are top-level keys.
 */
export const logstash: JsonFamily = {
  title:
    'Logstash JSON event (logstash-logback-encoder, log4j2 LogstashLayout / JsonTemplateLayout Logstash template)',
  markers: ['@version', 'level_value', 'logger_name'],
  match: (o) =>
    '@timestamp' in o && ('@version' in o || typeof o['level_value'] === 'number' || 'logger_name' in o),
  recognisedBy: '`@timestamp` with `@version`, `level_value` or `logger_name`',
  mapping: {
    format: 'logstash',
    fields: [
      { role: 'time', path: '@timestamp' },
      { role: 'level', path: 'level' },
      { role: 'message', path: 'message' },
      { role: 'logger', path: 'logger_name' },
      { role: 'trace', path: 'trace_id' },
      { role: 'trace', path: 'traceId' },
      { role: 'span', path: 'span_id' },
      { role: 'span', path: 'spanId' },
      {
        role: 'error',
        path: 'exception',
        read: logstashException,
        note: 'exception_class / exception_message / stacktrace',
      },
      { role: 'stack', path: 'stack_trace' },
    ],
  },
};

/** winston's `format.logstash()`: `@message`, `@timestamp`, the level and meta under `@fields`. */
export const winstonLogstash: JsonFamily = {
  title: 'winston `format.logstash()`',
  markers: ['@fields', '@message'],
  match: (o) => '@message' in o && isRec(o['@fields']),
  recognisedBy: '`@message` with an `@fields` object',
  mapping: {
    format: 'logstash',
    fields: [
      { role: 'time', path: '@timestamp' },
      { role: 'level', path: ['@fields', 'level'] },
      { role: 'message', path: '@message' },
      { role: 'stack', path: ['@fields', 'stack'] },
    ],
  },
};
