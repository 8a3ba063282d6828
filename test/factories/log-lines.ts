import type { DestinationStream } from 'pino';

/** A pino destination that keeps every line, parsed, for assertions. */
export interface CapturedLines extends DestinationStream {
  /** The raw lines written, in order. */
  readonly raw: string[];
  /** The lines parsed as JSON objects. */
  readonly lines: () => Record<string, unknown>[];
  /** How many times `flushSync` was called. */
  flushes: number;
  flushSync(): void;
}

/** Creates a {@link CapturedLines} destination. */
export function captureLines(): CapturedLines {
  const raw: string[] = [];
  const sink: CapturedLines = {
    raw,
    lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>),
    flushes: 0,
    write(line: string) {
      raw.push(line);
    },
    flushSync() {
      sink.flushes++;
    },
  };
  return sink;
}
