/**
 * The handlers' own log port. The sink and dead-letter contracts the handlers depend on are the
 * sinks' own (`sinks/contract.ts`: `EventSink`, `DeliveryResult`, `DeadLetterSink`), not copies.
 */

/** The handlers' own log (pino fits). Fields never carry event content. */
export interface HandlerLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/** A log that writes nothing. */
export const silentLog: HandlerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
