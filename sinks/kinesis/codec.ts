import { gunzipSync } from 'node:zlib';
import { describeValue } from '../../core/errors.js';
import { compileZodCheck } from '../../core/zod-check.js';
import { type LogEvent, LogEventSchema } from '../../transform/schema.js';
import { KINESIS_ERROR_CODES, KinesisSinkError } from './errors.js';

/**
 * Largest inflated events record accepted: the writer packs at most 1 MiB of NDJSON per record;
 * the bound leaves room for other writers and stops a gzip bomb.
 */
export const MAX_EVENTS_RECORD_BYTES = 8 * 1024 * 1024;

/**
 * The strict `LogEventSchema` as a compiled predicate: the same verdict on parsed JSON without
 * zod's per-line output copy (docs/benchmarks.md, `opensearch`); zod names the problems of a line
 * it refuses.
 */
const isLogEvent = compileZodCheck(LogEventSchema);

/** One line of an events-stream record that is not a valid `LogEvent`. */
export interface BadLine {
  /** 1-based line number inside the record; 0 when the whole record cannot be read (bad gzip). */
  readonly line: number;
  /** The line's bytes as base64 (for the dead letter; never put in messages). */
  readonly data: string;
  readonly error: KinesisSinkError;
}

/** What one events-stream record decoded to. */
export interface DecodedEventsRecord {
  readonly events: LogEvent[];
  /**
   * The JSON text each of `events` was parsed from (same positions): the sink forwards it as the
   * document instead of serialising the event again (see `encodeEvent`).
   */
  readonly lines: string[];
  readonly bad: BadLine[];
}

/**
 * Decodes one record of the "events" stream (NDJSON of `LogEvent`s, gzipped or plain, as written
 * by {@link packEvents}). Every line is parsed and validated on its own, so one bad line never
 * takes its neighbours down. Never throws. Pure.
 */
export function decodeEventsRecord(data: Uint8Array | string): DecodedEventsRecord {
  const raw =
    typeof data === 'string'
      ? Buffer.from(data, 'base64')
      : Buffer.from(data.buffer, data.byteOffset, data.byteLength); // a view, not a copy
  const events: LogEvent[] = [];
  const lines: string[] = [];
  const bad: BadLine[] = [];
  let bytes = raw;
  // gzip (the writer's default) starts with 1f 8b; NDJSON never does (it starts with `{`).
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = gunzipSync(raw, { maxOutputLength: MAX_EVENTS_RECORD_BYTES });
    } catch (err) {
      const tooLarge = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      bad.push({
        line: 0,
        data: raw.toString('base64'),
        error: new KinesisSinkError(
          KINESIS_ERROR_CODES.recordInvalid,
          tooLarge
            ? `received a gzip record that inflates past ${MAX_EVENTS_RECORD_BYTES} bytes; expected at most one Kinesis record of NDJSON`
            : `received a record that starts like gzip but does not inflate (${(err as Error).message}); expected gzip of NDJSON LogEvents, or plain NDJSON`,
        ),
      });
      return { events, lines, bad };
    }
  }
  const text = bytes.toString('utf8');
  text.split('\n').forEach((line, i) => {
    if (line.trim().length === 0) return;
    const fail = (message: string): void => {
      bad.push({
        line: i + 1,
        data: Buffer.from(line, 'utf8').toString('base64'),
        error: new KinesisSinkError(KINESIS_ERROR_CODES.recordInvalid, `line ${i + 1}: ${message}`),
      });
    };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      fail(`received ${describeValue(line)} that is not JSON; expected one LogEvent as JSON per line`);
      return;
    }
    // Valid against the strict schema, which neither adds nor drops keys: the parsed value is the
    // event and the line its JSON text.
    if (isLogEvent(value)) {
      events.push(value as LogEvent);
      lines.push(line);
      return;
    }
    const parsed = LogEventSchema.safeParse(value);
    if (parsed.success) {
      // Unreachable while the predicate mirrors the schema (a property test holds them together);
      // the schema decides if they ever part.
      events.push(parsed.data);
      lines.push(line);
      return;
    }
    const problems = parsed.error.issues
      .slice(0, 5)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
      .join('; ');
    fail(`received ${describeValue(value)} that is not a valid LogEvent (${problems})`);
  });
  return { events, lines, bad };
}
