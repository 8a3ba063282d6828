import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/random.js';
import { parseRuleFile } from '../filters/parse.js';
import { compileRules } from '../filters/pipeline.js';
import { decodeCwlData } from '../ingest/decode.js';
import { START_RULES_YAML } from '../local/start-rules.js';
import { compileNormalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { createIdMaker, encodeEnvelope, toEnvelopes } from './envelopes.js';
import { checkout, healthCheck } from './scenario.js';

/** Runs demo lines through the real decode → normalise → start rules path. */
function pipeline(
  seed: number,
  n: number,
): { kept: LogEvent[]; dropped: string[]; txs: ReturnType<typeof checkout>[] } {
  const rng = seededRandom(seed);
  const txs = Array.from({ length: n }, (_, i) => checkout(rng, Date.UTC(2026, 0, 1) + i * 1000));
  const lines = [...txs.flatMap((t) => t.lines), ...healthCheck(rng, Date.UTC(2026, 0, 1)).lines];
  const normalizer = compileNormalizer();
  const filters = compileRules(parseRuleFile(START_RULES_YAML, 'start'));
  const kept: LogEvent[] = [];
  const dropped: string[] = [];
  for (const env of toEnvelopes(lines, createIdMaker(seed))) {
    const decoded = decodeCwlData(encodeEnvelope(env));
    if (decoded.kind !== 'data') throw new Error('demo payload did not decode');
    for (const ev of normalizer.envelope(decoded.envelope)) {
      const o = filters.process(ev);
      if (o.kind === 'keep') kept.push(o.event);
      else if (o.kind === 'drop') dropped.push(o.reason);
      else throw o.error;
    }
  }
  return { kept, dropped, txs };
}

describe('demo components', () => {
  const { kept, dropped, txs } = pipeline(7, 200);

  it('writes transactions that span at least three services, found by transaction.id', () => {
    const ok = txs.find((t) => t.outcome === 'ok')!;
    const services = new Set(
      kept.filter((e) => e.transaction?.id === ok.transactionId).map((e) => e.service.name),
    );
    expect([...services].sort()).toEqual(['api-gateway', 'inventory', 'notifications', 'orders', 'payments']);
  });

  it('speaks pino, Powertools, the Lambda text format and Lambda platform lines', () => {
    const formats = new Set(kept.map((e) => e.log.format));
    for (const f of ['pino', 'powertools', 'lambda_text', 'lambda_platform']) expect(formats).toContain(f);
    const report = kept.find((e) => e.lambda?.platform === 'report')!;
    expect(typeof report.lambda?.report?.duration_ms).toBe('number');
  });

  it('has errors with stack traces (declined payments, inventory timeouts)', () => {
    const outcomes = new Set(txs.map((t) => t.outcome));
    expect(outcomes).toContain('payment_declined');
    expect(outcomes).toContain('inventory_timeout');
    const errors = kept.filter((e) => e.log.level === 'error' && e.error?.stack_trace);
    expect(new Set(errors.map((e) => e.error?.type))).toEqual(new Set(['CardDeclinedError', 'TimeoutError']));
  });

  it('plants emails, card numbers and tokens that the start rules redact, and drops health checks by name', () => {
    const text = JSON.stringify(kept);
    expect(text).not.toMatch(/@example\./);
    expect(text).not.toMatch(/4111 1111 1111 1111|5500 0000 0000 0004|4012888888881881/);
    expect(text).not.toMatch(/Bearer eyJ/);
    expect(kept.filter((e) => e.redaction).length).toBeGreaterThan(200);
    expect(dropped).toEqual(['drop-health-checks']);
  });

  it('is deterministic for a seed and gives unique event ids', () => {
    const again = pipeline(7, 20);
    const first = pipeline(7, 20);
    expect(again.kept.map((e) => e.message)).toEqual(first.kept.map((e) => e.message));
    expect(new Set(kept.map((e) => e.event.id)).size).toBe(kept.length);
  });
});
