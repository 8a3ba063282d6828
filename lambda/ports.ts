/**
 * The shapes the handlers need from the dead-letter store (contract of `sinks/dead-letters`,
 * see CONTRACTS.md). Declared structurally here so the handlers depend on the contract only.
 */

/** One dead letter: the original (a `LogEvent`, or `{ data: base64 }` for an undecodable record) and its error. */
export interface DeadLetter {
  id: string;
  at: string;
  stage: 'ingest' | 'transform' | 'filter' | 'sink';
  error: { code: string; message: string };
  original: unknown;
}

/** Where the handlers put dead letters. */
export interface DeadLetterWriter {
  put(letters: readonly DeadLetter[]): Promise<void>;
}

/** The handlers' own log (pino fits). Fields never carry event content. */
export interface HandlerLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
  error(fields: object, msg: string): void;
}

/** A log that writes nothing. */
export const silentLog: HandlerLog = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Fate of one event in the OpenSearch sink (contract of `sinks/opensearch`). */
export type DeliveryResult = 'indexed' | 'duplicate' | 'dead_lettered' | 'not_delivered';

/** The OpenSearch sink as the sink handler uses it (contract of `sinks/opensearch`). */
export interface EventSink {
  write(
    events: readonly import('../transform/schema.js').LogEvent[],
    o?: { signal?: AbortSignal },
  ): Promise<{ results: DeliveryResult[]; counts: Record<DeliveryResult, number> }>;
}
