import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite, Measurement } from '../bench/harness.js';
import { fmt, machine, measure, medianBy } from '../bench/harness.js';
import { seededRandom } from '../core/random.js';
import { createIdMaker, encodeEnvelope, toEnvelopes } from '../demo/envelopes.js';
import { checkout } from '../demo/scenario.js';
import { parseRuleFile } from '../filters/parse.js';
import { compileRules } from '../filters/pipeline.js';
import { decodeCwlData } from '../ingest/decode.js';
import { parseQuery } from '../search/query.js';
import { createSqliteSearch } from '../search/sqlite.js';
import { SCHEMA_VERSION } from '../sinks/sqlite/schema.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { compileNormalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { START_RULES_YAML } from './start-rules.js';

/**
 * Ingest into the embedded store, as `sluice start` does it: the whole local path (decode →
 * normalise → start rules → SQLite in batches of 1000) against the store alone (the same, already
 * processed events written to SQLite), in paired rounds; then search latencies on the result.
 */
const suite: BenchSuite = {
  name: 'start',
  title: '`sluice start`: ingest into the embedded SQLite store, and search',
  async run(ctx) {
    const txs = Math.max(50, Math.round(1500 * ctx.scale));
    const rng = seededRandom(ctx.seed);
    const lines = Array.from(
      { length: txs },
      (_, i) => checkout(rng, Date.UTC(2026, 0, 1) + i * 500).lines,
    ).flat();
    const datas = toEnvelopes(lines, createIdMaker(ctx.seed)).map(encodeEnvelope);
    const normalizer = compileNormalizer({ now: () => new Date(Date.UTC(2026, 0, 1, 12)) });
    const filters = compileRules(parseRuleFile(START_RULES_YAML, 'start'));
    const processed: LogEvent[] = [];
    for (const d of datas) {
      const r = decodeCwlData(d);
      if (r.kind !== 'data') throw new Error('bench payload did not decode');
      for (const e of normalizer.envelope(r.envelope)) {
        const o = filters.process(e);
        if (o.kind === 'keep') processed.push(o.event);
      }
    }
    const events = processed.length;
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-start-'));
    let n = 0;
    const fresh = () => openSqliteStore({ path: join(dir, `s${n++}.db`) });
    const writeBatches = async (store: ReturnType<typeof fresh>, evs: LogEvent[]): Promise<void> => {
      for (let i = 0; i < evs.length; i += 1000) await store.write(evs.slice(i, i + 1000));
    };
    const storeOnly = async (): Promise<void> => {
      const store = fresh();
      await writeBatches(store, processed);
      await store.close();
    };
    const pipeline = async (): Promise<void> => {
      const store = fresh();
      let batch: LogEvent[] = [];
      for (const d of datas) {
        const r = decodeCwlData(d);
        if (r.kind !== 'data') throw new Error('bench payload did not decode');
        for (const e of normalizer.envelope(r.envelope)) {
          const o = filters.process(e);
          if (o.kind === 'keep') batch.push(o.event);
        }
        if (batch.length >= 1000) {
          await store.write(batch);
          batch = [];
        }
      }
      await store.write(batch);
      await store.close();
    };
    const minMs = ctx.scale < 1 ? 400 : 3000;
    const rounds: { store: Measurement; pipeline: Measurement }[] = [];
    for (let i = 0; i < 3; i++) {
      ctx.log(`start: round ${i + 1}/3 …`);
      rounds.push({
        store: await measure('store', storeOnly, { minMs, warmup: 1 }),
        pipeline: await measure('pipeline', pipeline, { minMs, warmup: 1 }),
      });
    }
    const perSec = (m: Measurement): number => (events * m.iterations) / (m.wallMs / 1000);
    const ratio = (r: (typeof rounds)[number]): number => perSec(r.pipeline) / perSec(r.store);
    const mid = medianBy(rounds, ratio);

    // Search latencies on one store holding the events.
    const store = fresh();
    await writeBatches(store, processed);
    const search = createSqliteSearch(store.db);
    const tx = processed.find((e) => e.transaction)?.transaction?.id ?? '';
    const range = { from: Date.UTC(2026, 0, 1) - 60_000, to: Date.UTC(2026, 0, 1) + txs * 500 + 60_000 };
    const queries: [string, () => Promise<unknown>][] = [
      [
        'empty query (count, page, histogram, facets)',
        () => search.search({ query: parseQuery(''), limit: 100, offset: 0, ...range }),
      ],
      [
        '`service:payments level:error`',
        () =>
          search.search({
            query: parseQuery('service:payments level:error'),
            limit: 100,
            offset: 0,
            ...range,
          }),
      ],
      [
        'free text `"payment failed"`',
        () => search.search({ query: parseQuery('"payment failed"'), limit: 100, offset: 0, ...range }),
      ],
      [
        '`attributes.order_id:…` (field index)',
        () =>
          search.search({
            query: parseQuery('attributes.order_id:ord-000000'),
            limit: 100,
            offset: 0,
            ...range,
          }),
      ],
      ['trace by transaction.id', () => search.trace(tx)],
    ];
    const latency: string[] = [];
    for (const [name, fn] of queries) {
      const m = await measure(name, fn, { minMs: ctx.scale < 1 ? 200 : 1000, warmup: 2 });
      latency.push(`| ${name} | ${fmt(m.wallMs / m.iterations, 2)} |`);
    }
    await store.close();
    rmSync(dir, { recursive: true, force: true });

    const row = (name: string, m: Measurement): string =>
      `| ${name} | ${fmt(perSec(m), 0)} | ${fmt(m.wallMs / m.iterations, 0)} | ${m.iterations} |`;
    return [
      `Machine: ${machine()}. Input: ${txs} demo checkouts (seed ${ctx.seed}) = ${datas.length} gzip CloudWatch payloads,`,
      `${events} events kept after the start rules. Store: a fresh SQLite file per pass (layout ${SCHEMA_VERSION}: WAL, full text, b-tree indexes, rollups, field index), batches of 1000.`,
      'Three paired rounds (store alone, then the whole path); the table shows the round with the median ratio.',
      '',
      '- store: `openSqliteStore().write()` of the already processed events (INSERT OR IGNORE, full-text and field index rows, rollup upserts; one transaction per batch).',
      '- pipeline: `decodeCwlData` → `compileNormalizer().envelope` → start rules (default secret pack + email masking + drop) → the same store writes.',
      '',
      '| variant | events/s (wall) | ms per pass | passes |',
      '|---|---:|---:|---:|',
      row('store', mid.store),
      row('pipeline', mid.pipeline),
      '',
      `**Ratio pipeline / store: ${fmt(ratio(mid), 2)}×** (rounds: ${rounds.map((r) => fmt(ratio(r), 2)).join(', ')}): the share of ingest time the store itself is.`,
      '',
      `Search on a store of ${events} events (\`search/sqlite.ts\`, wall ms per call):`,
      '',
      '| query | ms |',
      '|---|---:|',
      ...latency,
    ].join('\n');
  },
};

export default suite;
