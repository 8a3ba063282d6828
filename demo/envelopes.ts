import { gzipSync } from 'node:zlib';
import type { CwlEnvelope } from '../ingest/envelope.js';
import type { DemoLine } from './scenario.js';

/** The account the demo pretends its log groups live in. */
const DEMO_ACCOUNT = '123456789012';

/**
 * Makes CloudWatch-style event ids: 56 decimal digits, time first, unique within a run
 * (`run` distinguishes runs, `next` counts).
 */
export function createIdMaker(run: number): (at: number) => string {
  let n = 0;
  const runPart = String(run % 100_000_000).padStart(8, '0');
  return (at) => {
    n += 1;
    return `${String(at).padStart(16, '0')}${runPart}${String(n).padStart(32, '0')}`;
  };
}

/**
 * Groups lines by log group and stream into CloudWatch Logs subscription `DATA_MESSAGE`s, as a
 * subscription filter would deliver them (events in time order). Pure.
 */
export function toEnvelopes(lines: readonly DemoLine[], nextId: (at: number) => string): CwlEnvelope[] {
  const byStream = new Map<string, DemoLine[]>();
  for (const l of lines) {
    const key = `${l.logGroup}\n${l.logStream}`;
    const list = byStream.get(key);
    if (list) list.push(l);
    else byStream.set(key, [l]);
  }
  return [...byStream.values()].map((ls) => {
    const sorted = [...ls].sort((a, b) => a.at - b.at);
    return {
      messageType: 'DATA_MESSAGE',
      owner: DEMO_ACCOUNT,
      logGroup: sorted[0]!.logGroup,
      logStream: sorted[0]!.logStream,
      subscriptionFilters: ['sluice-demo'],
      logEvents: sorted.map((l) => ({ id: nextId(l.at), timestamp: l.at, message: l.message })),
    };
  });
}

/** The envelope as CloudWatch Logs sends it: gzip of the JSON, base64 (a Kinesis record's data). */
export const encodeEnvelope = (env: CwlEnvelope): string => gzipSync(JSON.stringify(env)).toString('base64');
