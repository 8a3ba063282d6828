import { createHash } from 'node:crypto';
import type { Normalizer } from '../../transform/normalize.js';
import { type LogEvent, LogEventSchema } from '../../transform/schema.js';

/** One sample to run through the rules. */
export interface Sample {
  /** `file:line`. */
  readonly label: string;
  readonly event: LogEvent;
  /** How the line was read. */
  readonly as: 'LogEvent' | 'raw line';
}

/**
 * Reads samples from text: each non-blank line is a `LogEvent` as JSON (validated against the
 * schema), or else a raw log line normalised with `normalizer.lines()` (origin `logGroup`); an OTLP
 * `resourceLogs` batch line gives one sample per log record, labelled `file:line record n`.
 */
export function readSamples(
  text: string,
  source: string,
  normalizer: Normalizer,
  logGroup: string,
): Sample[] {
  const out: Sample[] = [];
  text.split(/\r?\n/).forEach((line, i) => {
    if (!/\S/.test(line)) return;
    const label = `${source}:${i + 1}`;
    if (line.trimStart().startsWith('{')) {
      try {
        const parsed = LogEventSchema.safeParse(JSON.parse(line));
        if (parsed.success) {
          out.push({ label, event: parsed.data, as: 'LogEvent' });
          return;
        }
      } catch {
        // Not JSON after all: a raw line.
      }
    }
    const id = createHash('sha256')
      .update(`${source}\n${i + 1}`)
      .digest('hex')
      .slice(0, 40);
    const events = normalizer.lines(line, { logGroup, logStream: source, id });
    for (const [n, event] of events.entries())
      out.push({ label: events.length > 1 ? `${label} record ${n + 1}` : label, event, as: 'raw line' });
  });
  return out;
}
