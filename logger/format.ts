import pino from 'pino';

/**
 * The shape of every line, chosen so the transform stage maps it 1:1 onto a `LogEvent`
 * (see docs/logger.md#what-a-line-looks-like and the contract test):
 * - pino's own core: `level` (number), `time` (epoch ms), `msg`;
 * - the context in the schema's own nested names: `service.name`, `transaction.id`, `trace.id`,
 *   `faas.{execution,name,coldstart}`;
 * - an error under `err` as `{ type, message, stack }` (pino's serializer), read into `error.*`;
 * - everything else is the component's business data and lands under `attributes`.
 * No `pid`/`hostname`: they mean nothing in Lambda and would crowd `attributes`.
 */
export const LINE_KEYS = {
  message: 'msg',
  error: 'err',
} as const;

/** pino options that fix the line format (level, time, message and error keys, base fields). */
export function lineFormatOptions(service: string, bindings: Readonly<Record<string, unknown>> | undefined) {
  return {
    messageKey: LINE_KEYS.message,
    errorKey: LINE_KEYS.error,
    base: { ...bindings, service: { name: service } },
    timestamp: pino.stdTimeFunctions.epochTime,
    serializers: { [LINE_KEYS.error]: pino.stdSerializers.err },
  } satisfies pino.LoggerOptions;
}
