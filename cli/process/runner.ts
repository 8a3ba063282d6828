import { createHash } from 'node:crypto';
import { describeValue } from '../../core/errors.js';
import { emptyStageCounters, runStage, type StageCounters } from '../../core/stage.js';
import type { FilterPipeline } from '../../filters/pipeline.js';
import { detectLine } from '../../ingest/detect.js';
import { INGEST_ERROR_CODES, type IngestError } from '../../ingest/errors.js';
import { type InputLine, readLineBatches } from '../../ingest/lines.js';
import type { Normalizer } from '../../transform/normalize.js';
import type { LogEvent } from '../../transform/schema.js';
import type { ChunkedWriter } from './output.js';

/** Counters of one `sluice process` run (the summary on stderr). */
export interface ProcessStats {
  linesRead: number;
  blankLines: number;
  eventsOut: number;
  controlSkipped: number;
  /** What the normalise → filter stage counted (drops by rule name, with `--rules`). */
  readonly stage: StageCounters;
  /** Errors by stable code. */
  errors: Map<string, number>;
}

/** A new, zeroed {@link ProcessStats}. */
export const newStats = (): ProcessStats => ({
  linesRead: 0,
  blankLines: 0,
  eventsOut: 0,
  controlSkipped: 0,
  stage: emptyStageCounters(),
  errors: new Map(),
});

/** Error codes `sluice process` adds to the ingest ones. */
const PROCESS_ERROR_CODES = {
  /** A LogEvent could not be serialised (should not happen: the normaliser bounds nesting). */
  serialize: 'PROCESS_SERIALIZE_FAILED',
} as const;

/** What the runner is handed (the command wires it). */
export interface RunnerDeps {
  readonly normalizer: Normalizer;
  /** Compiled filter rules (`--rules`); every event goes through them when present. */
  readonly filter?: FilterPipeline;
  readonly out: ChunkedWriter;
  readonly stats: ProcessStats;
  readonly maxLineBytes: number;
  readonly maxDecompressedBytes?: number;
  /** Reports one bad line (never its content). */
  reportError(source: string, line: number, code: string, message: string): void;
  readonly signal: AbortSignal;
}

/** Deterministic `event.id` of a raw line: sha256 of the source name and line number. */
function rawLineId(source: string, line: number): string {
  return createHash('sha256').update(`${source}\n${line}`).digest('hex').slice(0, 40);
}

/**
 * Streams one input (file or stdin) line by line through detection, decoding and normalisation,
 * writing NDJSON LogEvents. Bad lines are counted and reported; the run goes on. Returns false
 * when it stopped early (aborted, or the output went away).
 */
export async function processSource(
  input: AsyncIterable<Uint8Array | string>,
  source: string,
  deps: RunnerDeps,
): Promise<boolean> {
  const { stats } = deps;
  const fail = (line: number, code: string, message: string): void => {
    stats.errors.set(code, (stats.errors.get(code) ?? 0) + 1);
    deps.reportError(source, line, code, message);
  };
  const emit = async (normalize: () => Iterable<LogEvent>, line: number): Promise<void> => {
    // Fail closed: a rule that throws fails the event (reported, counted), it is never written.
    const { kept, letters } = runStage(
      [{ source: line, normalize, id: `${source}:${line}`, original: undefined }],
      deps.filter,
      stats.stage,
    );
    for (const { letter } of letters) fail(line, letter.error.code, letter.error.message);
    for (const { event } of kept) {
      let json: string;
      try {
        json = JSON.stringify(event);
      } catch (err) {
        fail(line, PROCESS_ERROR_CODES.serialize, `event could not be serialised (${describeValue(err)})`);
        continue;
      }
      stats.eventsOut++;
      await deps.out.write(`${json}\n`);
    }
  };
  for await (const batch of readLineBatches(input, { maxLineBytes: deps.maxLineBytes })) {
    for (const line of batch) {
      if (deps.signal.aborted || deps.out.error) return false;
      stats.linesRead++;
      await processLine(line, source, deps, fail, emit);
    }
    // Flush per input chunk: bulk input still writes in large chunks, while a slow producer
    // (`tail -f app.log | sluice process`) sees its events without waiting for 64 KB.
    await deps.out.flush();
  }
  return !deps.signal.aborted && !deps.out.error;
}

async function processLine(
  line: InputLine,
  source: string,
  deps: RunnerDeps,
  fail: (line: number, code: string, message: string) => void,
  emit: (normalize: () => Iterable<LogEvent>, line: number) => Promise<void>,
): Promise<void> {
  if (!('text' in line)) {
    fail(
      line.number,
      INGEST_ERROR_CODES.lineTooLong,
      `line of ${line.bytes} bytes exceeds the limit of ${deps.maxLineBytes} bytes (--max-line-bytes)`,
    );
    return;
  }
  const text = line.text;
  if (!/\S/.test(text)) {
    deps.stats.blankLines++;
    return;
  }
  const detected = detectLine(text, { maxDecompressedBytes: deps.maxDecompressedBytes });
  if (detected.kind === 'raw') {
    const meta = { logGroup: '', logStream: source, id: rawLineId(source, line.number) };
    await emit(() => deps.normalizer.lines(text, meta), line.number);
    return;
  }
  for (const { label, result } of detected.payloads) {
    if (result.kind === 'control') {
      deps.stats.controlSkipped++;
    } else if (result.kind === 'error') {
      const err: IngestError = result.error;
      fail(line.number, err.code, `${detected.payloads.length > 1 ? `${label}: ` : ''}${err.message}`);
    } else {
      await emit(() => deps.normalizer.envelope(result.envelope), line.number);
    }
  }
}
