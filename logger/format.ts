import pino from 'pino';
import type { TransactionInfo } from './context.js';

/**
 * The shape of every line, chosen so the transform stage (`transform/parse-record.ts`) maps it 1:1
 * onto a `LogEvent` — the contract test (`logger/contract.test.ts`) proves it through
 * `sluice process`:
 *
 * | line                                   | LogEvent                         |
 * |----------------------------------------|----------------------------------|
 * | `level` (pino number 10–60)            | `log.level`, `log.format: pino`  |
 * | `time` (epoch ms)                      | `@timestamp`                     |
 * | `msg`                                  | `message`                        |
 * | `service.name`                         | `service.name`                   |
 * | `transaction.id`                       | `transaction.id`                 |
 * | `trace.id`                             | `trace.id`                       |
 * | `function_request_id`                  | `faas.execution`                 |
 * | `function_name`                        | `faas.name`                      |
 * | `cold_start`                           | `faas.coldstart`                 |
 * | `err.{type,message,stack}`             | `error.{type,message,stack_trace}` |
 * | anything else (bound / call fields)    | `attributes.*`, as it was        |
 *
 * The Lambda invocation uses the Powertools key names because the parser reads those (and a
 * nested `faas` object would stay an attribute). No `pid`/`hostname`: they mean nothing in Lambda
 * and would crowd `attributes`.
 */
export const LINE_KEYS = {
  message: 'msg',
  error: 'err',
  execution: 'function_request_id',
  functionName: 'function_name',
  coldStart: 'cold_start',
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

/** The fields a transaction adds to each of its lines: added business fields, then the context. */
export function contextBindings(
  info: TransactionInfo,
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...fields, transaction: { id: info.id } };
  if (info.traceId !== undefined) out.trace = { id: info.traceId };
  const f = info.faas;
  if (f?.execution !== undefined) out[LINE_KEYS.execution] = f.execution;
  if (f?.name !== undefined) out[LINE_KEYS.functionName] = f.name;
  if (f?.coldstart !== undefined) out[LINE_KEYS.coldStart] = f.coldstart;
  return out;
}
