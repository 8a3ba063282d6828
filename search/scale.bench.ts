import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchSuite } from '../bench/harness.js';
import { fmt, machine } from '../bench/harness.js';
import { type FillResult, fillParallel, sampleIngest } from '../bench/scale-data.js';
import { SCHEMA_VERSION } from '../sinks/sqlite/schema.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { summarizeFields } from './field-sample.js';
import { parseQuery } from './query.js';
import { type Kind, openSearchSide, REPEAT, runKinds } from './scale-run.js';
import { createSqliteWorkerSearch } from './sqlite-worker.js';
import type { SearchBackend } from './types.js';

/**
 * Env knobs (benches take no flags): `SLUICE_SCALE_EVENTS` (default 10,000,000; 200,000 with
 * `--quick`), `SLUICE_SCALE_STORE` (a path: keep the filled store there and reuse it on the next
 * run instead of filling again), `SLUICE_SCALE_OPENSEARCH=1` (run the same queries against the
 * OpenSearch node of the bench run, `ctx.services.opensearch()`, side by side, filled with
 * `SLUICE_SCALE_OPENSEARCH_EVENTS`, default the smaller of the event count and 1,000,000, under a
 * unique index prefix that is deleted afterwards), `SLUICE_SCALE_INGEST_SAMPLE` (events of the
 * fresh store whose fill measures this build's ingest when the store is reused; default 200,000).
 */
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Newest event time of the generated traffic; queries end here (their "now"). */
const END = Date.UTC(2026, 10, 30);

interface FillInfo {
  readonly events: number;
  readonly wallMs: number;
  readonly cpuMs: number;
  readonly dropped: number;
  readonly samples: FillResult['samples'];
  readonly load: string;
  readonly threads: number;
  /** The store layout the fill wrote (absent in fills before it was recorded). */
  readonly layout?: number;
}

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');

/** The query kinds of the table, in its order (exported for ad-hoc runs against a kept store). */
export function kinds(samples: FillResult['samples']): Kind[] {
  const at = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;
  /** A search over the `days` before END (moved back by `shift` ms), as the UI asks it. */
  const search =
    (q: string, days: number, opts: { shift?: number; sort?: 'asc' } = {}) =>
    (b: SearchBackend) => {
      const to = END - (opts.shift ?? 0);
      const range = { from: to - days * DAY, to, limit: 100, offset: 0, buckets: 80 };
      return b.search({ query: parseQuery(q), ...range, ...(opts.sort ? { sort: opts.sort } : {}) });
    };
  return [
    { name: 'empty, last 7 days', run: search('', 7) },
    { name: 'empty, last 24 h', run: search('', 1) },
    {
      name: '`service.name:payments level:error`, 7 days',
      run: search('service.name:payments level:error', 7),
    },
    {
      name: '`attributes.order_id:<id>`, 7 days',
      run: (b, i) => search(`attributes.order_id:${at(samples.orderIds, i)}`, 7)(b),
    },
    { name: '`-service:api-gateway`, 7 days', run: search('-service:api-gateway', 7) },
    { name: 'free text `declined`, 7 days', run: search('declined', 7) },
    { name: 'free text `declined`, last 24 h', run: search('declined', 1) },
    { name: 'exists `error.type:*`, 7 days', run: search('error.type:*', 7) },
    { name: 'range `duration>1000` (lambda.report), 7 days', run: search('duration>1000', 7) },
    { name: 'range `attributes.amount>100`, 7 days', run: search('attributes.amount>100', 7) },
    {
      name: 'range `duration>1000`, 7 days ending off a 10-minute boundary (as the UI asks)',
      run: search('duration>1000', 7, { shift: 123_457 }),
    },
    {
      name: '`log.logger:nothing*` (a prefix on a field with a value dictionary; no match), 7 days',
      run: search('log.logger:nothing*', 7),
    },
    // Number ranges with other terms, over short ranges, with a bound that cuts a number bucket,
    // and prefixes no value dictionary answers: the kinds the store may answer partially
    // (`partial`, the "SQLite answer" column says which and why).
    {
      name: 'free text with a service term `service.name:payments declined`, 7 days',
      run: search('service.name:payments declined', 7),
    },
    {
      name: '`attributes.http.method:POST` (an attribute value of hundreds of thousands of events), 7 days',
      run: search('attributes.http.method:POST', 7),
    },
    {
      name: 'range with a service term `service.name:payments duration>1000`, 7 days',
      run: search('service.name:payments duration>1000', 7),
    },
    {
      name: 'range with a level term `level:error attributes.http.status>=500`, 7 days',
      run: search('level:error attributes.http.status>=500', 7),
    },
    {
      name: 'range with free text `attributes.amount>100 charging`, 7 days',
      run: search('attributes.amount>100 charging', 7),
    },
    {
      name: 'range with a field term `attributes.http.status>=500 attributes.http.method:POST`, 7 days',
      run: search('attributes.http.status>=500 attributes.http.method:POST', 7),
    },
    // Short ranges end 2 h before the end of the traffic (a fill of a given event count can stop
    // short of END, so its last hour may be empty).
    {
      name: 'range `duration>1000`, 1 h (2 h before the end)',
      run: search('duration>1000', 1 / 24, { shift: 2 * HOUR }),
    },
    {
      name: 'range `attributes.amount>100`, 1 h (2 h before the end)',
      run: search('attributes.amount>100', 1 / 24, { shift: 2 * HOUR }),
    },
    {
      name: 'range `attributes.amount>100`, 6 h (2 h before the end)',
      run: search('attributes.amount>100', 0.25, { shift: 2 * HOUR }),
    },
    {
      name: 'range `attributes.http.status>=500`, 6 h (2 h before the end)',
      run: search('attributes.http.status>=500', 0.25, { shift: 2 * HOUR }),
    },
    {
      name: 'range `attributes.amount>123.4` (a bound cutting a number bucket), 7 days',
      run: search('attributes.amount>123.4', 7),
    },
    {
      name: '`attributes.order_id:ord-12*` (a prefix without a value dictionary), 7 days',
      run: search('attributes.order_id:ord-12*', 7),
    },
    {
      name: '`attributes.order_id:ord-12*` (a prefix without a value dictionary), 1 h (2 h before the end)',
      run: search('attributes.order_id:ord-12*', 1 / 24, { shift: 2 * HOUR }),
    },
    { name: 'empty, oldest first, 7 days', run: search('', 7, { sort: 'asc' }) },
    { name: 'trace by transaction id', run: (b, i) => b.trace(at(samples.transactionIds, i)) },
    // The result list's own queries (paging, field list, surrounding events, export).
    { name: 'page 1 + page 2 by cursor, empty, 7 days', run: (b) => twoPages(b, '', 'desc') },
    { name: 'page 1 + page 2 by cursor, oldest first, 7 days', run: (b) => twoPages(b, '', 'asc') },
    { name: 'page 1 + page 2 by cursor, `declined`, 7 days', run: (b) => twoPages(b, 'declined', 'desc') },
    {
      name: 'page 1 + page 2 by cursor, `log.logger:nothing*`, 7 days',
      run: (b) => twoPages(b, 'log.logger:nothing*', 'desc'),
    },
    {
      name: 'field list: 500-event sample + top values, `level:error`, 7 days',
      run: async (b) =>
        summarizeFields(
          (await b.page({ query: parseQuery('level:error'), from: END - 7 * DAY, to: END, limit: 500 }))
            .events,
        ),
    },
    {
      name: 'surrounding events (10 each side) of an event',
      run: async (b, i) => {
        const id = (await b.trace(at(samples.transactionIds, i), 1)).events[0]?.event.id;
        return id === undefined ? undefined : b.context(id, 10);
      },
    },
    { name: 'export 10,000 events (20 pages of 500), 7 days', run: (b) => exportPages(b, 20) },
  ];
}

/** The first page of a result list and the one after it, as the UI asks them. */
async function twoPages(b: SearchBackend, q: string, sort: 'asc' | 'desc'): Promise<unknown> {
  const req = { query: parseQuery(q), from: END - 7 * DAY, to: END, limit: 100, sort } as const;
  const first = await b.page(req);
  return first.next ? b.page({ ...req, after: first.next }) : first;
}

/** What `/api/export` reads for a 10,000-event export: pages of 500 by cursor. */
async function exportPages(b: SearchBackend, pages: number): Promise<number> {
  const req = { query: parseQuery(''), from: END - 7 * DAY, to: END, limit: 500 } as const;
  let n = 0;
  let after: string | undefined;
  for (let i = 0; i < pages; i++) {
    const p = await b.page({ ...req, after });
    n += p.events.length;
    if (!p.next) break;
    after = p.next;
  }
  return n;
}

/** The environment this run was started with, as the command that repeats it. */
function runEnv(osEvents: number | undefined): string {
  const env = process.env;
  const parts = [`SLUICE_SCALE_EVENTS=${env.SLUICE_SCALE_EVENTS ?? '10000000'}`];
  if (env.SLUICE_SCALE_FILLERS) parts.push(`SLUICE_SCALE_FILLERS=${env.SLUICE_SCALE_FILLERS}`);
  if (env.SLUICE_SCALE_STORE) parts.push(`SLUICE_SCALE_STORE=${env.SLUICE_SCALE_STORE}`);
  if (env.SLUICE_SCALE_INGEST_SAMPLE)
    parts.push(`SLUICE_SCALE_INGEST_SAMPLE=${env.SLUICE_SCALE_INGEST_SAMPLE}`);
  if (osEvents !== undefined) {
    parts.push('SLUICE_SCALE_OPENSEARCH=1');
    if (env.SLUICE_SCALE_OPENSEARCH_EVENTS)
      parts.push(`SLUICE_SCALE_OPENSEARCH_EVENTS=${env.SLUICE_SCALE_OPENSEARCH_EVENTS}`);
  }
  return parts.join(' ');
}

/** Lookup samples taken from a kept store whose fill did not finish (no ingest figures). */
function sampleStore(path: string): FillInfo {
  const store = openSqliteStore({ path });
  try {
    const events = store.count();
    const step = Math.max(1, Math.floor(events / 40));
    const rows = store.db
      .prepare(
        "SELECT transaction_id AS tx, json_extract(doc, '$.attributes.order_id') AS ord FROM events WHERE seq % ? = 0 AND transaction_id IS NOT NULL",
      )
      .all(step) as { tx: string; ord: string | null }[];
    return {
      events,
      wallMs: Number.NaN,
      cpuMs: Number.NaN,
      dropped: Number.NaN,
      samples: {
        transactionIds: rows.map((r) => r.tx),
        orderIds: rows.flatMap((r) => (r.ord ? [r.ord] : [])),
      },
      load: load(),
      threads: 0,
    };
  } finally {
    void store.close();
  }
}

/**
 * The trace explorer's queries on a store of millions of events filled through the public ingest
 * path (`bench/scale-data.ts`: demo checkouts over 7 days in 20 services, `createPipeline` →
 * `openSqliteStoreThread`, as `sluice start` writes), answered through the worker-thread search `sluice start` uses.
 */
const suite: BenchSuite = {
  name: 'search-scale',
  title: 'Search at scale: the embedded store with millions of events (and OpenSearch side by side)',
  async run(ctx) {
    const events = Number(process.env.SLUICE_SCALE_EVENTS ?? (ctx.scale < 1 ? 200_000 : 10_000_000));
    const keep = process.env.SLUICE_SCALE_STORE;
    const dir = keep ? undefined : mkdtempSync(join(tmpdir(), 'sluice-bench-scale-'));
    const path = keep ?? join(dir as string, 'events.db');
    const infoPath = `${path}.fill.json`;
    try {
      let info: FillInfo;
      let filledNow = false;
      if (keep && existsSync(infoPath)) {
        info = JSON.parse(readFileSync(infoPath, 'utf8')) as FillInfo;
        ctx.log(`scale: reusing ${path} (${info.events} events)`);
      } else if (keep && existsSync(path)) {
        // A kept store whose fill was stopped early: measure what it holds.
        info = sampleStore(path);
        ctx.log(`scale: reusing ${path} (${info.events} events, fill stopped early: no ingest figures)`);
      } else {
        const threads = Number(process.env.SLUICE_SCALE_FILLERS ?? 1);
        ctx.log(`scale: filling ${path} with ${events} events from ${threads} thread(s) (load ${load()}) …`);
        const cpu0 = process.cpuUsage();
        // The schema is created once, before any filler opens the file.
        const created = openSqliteStore({ path });
        const fill = await fillParallel(path, threads, {
          events,
          end: END,
          days: 7,
          seed: ctx.seed,
          log: ctx.log,
        });
        const cpu = process.cpuUsage(cpu0);
        await created.close();
        info = {
          events: fill.indexed,
          wallMs: fill.wallMs,
          cpuMs: (cpu.user + cpu.system) / 1000,
          dropped: fill.dropped,
          samples: fill.samples,
          load: load(),
          threads,
          layout: SCHEMA_VERSION,
        };
        filledNow = true;
        if (keep) writeFileSync(infoPath, JSON.stringify(info));
      }
      // Opening upgrades a store of an older layout in place (once; it says how long it took).
      const reopened = openSqliteStore({ path, log: ctx.log });
      const size = reopened.size();
      await reopened.close();

      const ks = kinds(info.samples);
      const rssBefore = process.memoryUsage.rss();
      const search = createSqliteWorkerSearch({ path, timeoutMs: 120_000 });
      const queryLoad = load();
      const sqlite = await runKinds(search, ks, ctx.log);
      await search.close();

      // Retention: delete the oldest day, then give the space back.
      const store = openSqliteStore({ path: keep ? `${path}` : path });
      const before = store.size();
      const t0 = performance.now();
      let deleted = 0;
      if (!keep) {
        for (let n = 5000; n === 5000; deleted += n) n = store.prune(END - 6 * DAY, 5000);
      }
      const after = store.compact();
      const pruneMs = performance.now() - t0;
      await store.close();

      // A kept store's ingest figures are its fill's: this build's are measured on a fresh store.
      const sample = filledNow
        ? undefined
        : await sampleIngest(Number(process.env.SLUICE_SCALE_INGEST_SAMPLE ?? 200_000), ctx.seed);
      let os: Awaited<ReturnType<typeof openSearchSide>> | undefined;
      const osUrl = process.env.SLUICE_SCALE_OPENSEARCH ? await ctx.services.opensearch() : undefined;
      if (osUrl) {
        const osEvents = Number(process.env.SLUICE_SCALE_OPENSEARCH_EVENTS ?? Math.min(events, 1_000_000));
        // `start`: the node of the run (`npm run bench` starts one; bench/harness.ts BenchServices).
        const url = osUrl === 'start' ? await ctx.services.opensearch() : osUrl;
        os = await openSearchSide(url, osEvents, END, ctx.seed, ks, ctx.log);
        await os.stop();
      }

      const mb = (b: number): string => fmt(b / 2 ** 20, 0);
      const fillNote = filledNow
        ? 'filled by this command, and kept'
        : `kept from an earlier fill${info.threads > 0 ? ` from ${info.threads} thread(s), whose ingest figures are shown` : ''}`;
      const perMillion = size.fileBytes / (info.events / 1e6);
      const rows = ks.map((k) => {
        const s = sqlite.results.get(k.name);
        const o = os?.results.get(k.name);
        const cells = [
          k.name,
          s?.total === undefined
            ? '—'
            : `${
                s.countedFrom === undefined
                  ? String(s.total)
                  : `≥ ${s.total} (counted the newest ${fmt((END - s.countedFrom) / 3_600_000, 1)} h)`
              }${s.countedFrom !== undefined || s.partialRuns > 0 ? `; partial in ${s.partialRuns} of ${REPEAT} timed runs` : ''}`,
          s?.total === undefined ? '—' : s.partialWhy ? `partial: ${s.partialWhy}` : 'exact',
          fmt(s?.p50 ?? Number.NaN, 1),
          fmt(s?.p95 ?? Number.NaN, 1),
        ];
        if (os) cells.push(o ? fmt(o.p50, 1) : '—', o ? fmt(o.p95, 1) : '—');
        return `| ${cells.join(' | ')} |`;
      });
      const header = os
        ? [
            `| query (count + histogram + facets + newest 100) | matches | SQLite answer | SQLite p50 ms | SQLite p95 ms | OpenSearch (${os.fill.stats.indexed} events) p50 ms | OpenSearch p95 ms |`,
            '|---|---:|---|---:|---:|---:|---:|',
          ]
        : [
            '| query (count + histogram + facets + newest 100) | matches | SQLite answer | p50 ms | p95 ms |',
            '|---|---:|---|---:|---:|',
          ];
      return [
        `Machine: ${machine()}; load average ${info.load} at the end of the fill, ${queryLoad} before the queries (the machine is shared: absolute times move with the load).`,
        '',
        `Store: ${info.events} events (${info.dropped} more dropped by the start rules) from demo checkouts over 7 days in 20 services, written through \`createPipeline\` into \`openSqliteStoreThread\` (the store's writer thread, as \`sluice start\`; seed ${ctx.seed}); queries through \`createSqliteWorkerSearch\` (2 worker threads, as \`sluice start\`), ${REPEAT} runs each after one warm-up, as the UI asks them (limit 100, 80 histogram buckets, facets). "matches" is the warm-up's answer (the first, on a cold cache), and how many timed runs stopped at the counting budget; "SQLite answer" is \`exact\` when no run was partial, else \`partial\` and why (\`partial.reason\`, \`partial.unindexed\`, \`partial.numberRollup\` of the last partial run; the UI's **Count all** then counts every match).`,
        '',
        ...header,
        ...rows,
        '',
        `- Ingest: ${fmt(info.events / (info.wallMs / 1000), 0)} events/s wall from ${info.threads} filler thread(s); ${fmt(info.cpuMs / 1000, 0)} CPU-s for ${info.events} events = ${fmt(info.events / (info.cpuMs / 1000), 0)} events per CPU-second), the whole path: gzip payload decode, normalise, start rules, store${info.layout ? ` (layout ${info.layout})` : ''}.`,
        ...(sample
          ? [
              `- Ingest of this build (layout ${SCHEMA_VERSION}), measured in this run on a fresh store of ${sample.events} events from 1 thread, the same path: ${fmt(sample.events / (sample.wallMs / 1000), 0)} events/s wall, ${fmt((sample.cpuMs * 1000) / sample.events, 1)} CPU-µs per event (${fmt(sample.events / (sample.cpuMs / 1000), 0)} events per CPU-second), ${fmt(sample.bytes / sample.events, 0)} bytes per event.`,
            ]
          : []),
        `- Disk: ${mb(size.fileBytes)} MB = **${fmt(perMillion / 2 ** 30, 2)} GB per million events** (database + WAL after a checkpoint).`,
        `- Process RSS: ${mb(rssBefore)} MB before the searches, peak **${mb(sqlite.peakRss)} MB** during them (main thread + workers, sampled every 20 ms).`,
        keep
          ? '- Retention: not run on a kept store (`SLUICE_SCALE_STORE`).'
          : `- Retention: deleting the oldest day (${deleted} events) and \`compact()\` took ${fmt(pruneMs / 1000, 1)} s; the file went from ${mb(before.fileBytes)} MB to ${mb(after.fileBytes)} MB.`,
        '',
        `Run: \`${runEnv(os?.fill.stats.indexed)} npm run bench -- --only search-scale\`${keep ? ` (the store was ${fillNote})` : ''}.`,
      ].join('\n');
    } finally {
      if (dir) rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default suite;
