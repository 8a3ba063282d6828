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

const NOT_JSON = Symbol('not JSON');

function parseLine(line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    return NOT_JSON;
  }
}

const notJson = (line: string): string =>
  `received ${describeValue(line)} that is not JSON; expected one LogEvent as JSON per line`;

/** What is wrong with a value the predicate refused (paths and codes only); undefined if zod accepts it. */
function notLogEvent(value: unknown): string | undefined {
  const parsed = LogEventSchema.safeParse(value);
  if (parsed.success) return undefined;
  const problems = parsed.error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.code}`)
    .join('; ');
  return `received ${describeValue(value)} that is not a valid LogEvent (${problems})`;
}

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
  let from = 0;
  for (let i = 1; from <= text.length; i++) {
    let to = text.indexOf('\n', from);
    if (to === -1) to = text.length;
    const line = text.slice(from, to);
    from = to + 1;
    // A line is an object (starts with `{`) or blank; anything else goes to the parser to fail.
    if (line.charCodeAt(0) !== 0x7b && line.trim().length === 0) continue;
    const value = parseLine(line);
    // Valid against the strict schema, which neither adds nor drops keys: the parsed value is the
    // event and the line its JSON text.
    if (value !== NOT_JSON && isLogEvent(value)) {
      events.push(value as LogEvent);
      lines.push(line);
      continue;
    }
    const problem = value === NOT_JSON ? notJson(line) : notLogEvent(value);
    if (problem === undefined) {
      // Unreachable while the predicate mirrors the schema (a property test holds them together);
      // the schema decides if they ever part.
      events.push(value as LogEvent);
      lines.push(line);
      continue;
    }
    bad.push({
      line: i,
      data: Buffer.from(line, 'utf8').toString('base64'),
      error: new KinesisSinkError(KINESIS_ERROR_CODES.recordInvalid, `line ${i}: ${problem}`),
    });
  }
  return { events, lines, bad };
}
