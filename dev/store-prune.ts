/**
 * What retention's delete costs: `npx tsx dev/store-prune.ts [--events N] [--rounds R]`.
 *
 * Per round, fills a fresh store with the search-scale bench's traffic through the whole path
 * (`fillStore`), then deletes every event with `prune` in batches of 5,000, as retention does, and
 * prints the CPU-µs per deleted event (this process), and the part of it spent parsing each deleted
 * `doc` and counting its numbers down (the field statistics, timed alone on the same docs before).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fillStore } from '../bench/scale-data.js';
import { createFieldStats, type StatsRow } from '../sinks/sqlite/field-stats.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';

const { values } = parseArgs({
  options: { events: { type: 'string', default: '40000' }, rounds: { type: 'string', default: '2' } },
});
const fmt = (x: number): string => x.toFixed(1);
const cpuSince = (c0: NodeJS.CpuUsage): number => {
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};
const dir = mkdtempSync(join(tmpdir(), 'sluice-store-prune-'));
console.log(`load ${loadavg().map(fmt).join(' ')}`);
for (let r = 0; r < Number(values.rounds); r++) {
  const store = openSqliteStore({ path: join(dir, `p${r}.db`) });
  await fillStore(store, { events: Number(values.events), end: Date.UTC(2026, 11, 1), days: 7, seed: 42 });
  const docs = store.db
    .prepare('SELECT ts, service, level, level_num, doc FROM events')
    .all() as (StatsRow & {
    doc: string;
  })[];
  const stats = createFieldStats(store.db);
  let c0 = process.cpuUsage();
  for (const d of docs) stats.remove(JSON.parse(d.doc), d);
  const countDown = cpuSince(c0) / docs.length;
  stats.reset();
  c0 = process.cpuUsage();
  let deleted = 0;
  for (;;) {
    const n = store.prune(Number.POSITIVE_INFINITY, 5000);
    deleted += n;
    if (n < 5000) break;
  }
  const prune = cpuSince(c0) / deleted;
  console.log(
    `round ${r + 1}: prune ${fmt(prune)} CPU-µs per deleted event (${deleted}), of which doc parse and count-down ${fmt(countDown)}`,
  );
  await store.close();
}
rmSync(dir, { recursive: true, force: true });
console.log(`load ${loadavg().map(fmt).join(' ')}`);
