import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../../sinks/sqlite/store.js';
import { runSluice } from '../../test/factories/cli.js';
import { searchFixture, T0 } from '../../test/factories/search-events.js';

/** `sluice search` and `sluice trace` over a real embedded store (SQLite with FTS5), as `sluice start` leaves it. */
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-search-cli-'));

const sluice = (argv: string[]) => runSluice(argv, { cwd: dir });

const range = [
  '--since',
  new Date(T0 - 60_000).toISOString(),
  '--until',
  new Date(T0 + 3_600_000).toISOString(),
];

beforeAll(async () => {
  const store = openSqliteStore({ path: path.join(dir, '.sluice', 'events.db') });
  await store.write(searchFixture());
  await store.close();
});

describe('sluice search', () => {
  it('prints the matching events newest first, with the total', async () => {
    const r = await sluice(['search', 'service:orders', ...range]);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^\d+ events from 2026-01-01T11:59:00\.000Z to 2026-01-01T13:00:00\.000Z$/);
    expect(lines.slice(1).every((l) => /^2026-01-01T12:\d\d:\d\d\.000Z {2}\w+ +orders /.test(l))).toBe(true);
    const times = lines.slice(1).map((l) => l.slice(0, 24));
    expect(times).toEqual([...times].sort().reverse());
  });

  it('writes NDJSON LogEvents with --json, honouring --limit', async () => {
    const r = await sluice(['search', '*', '--json', '--limit', '2', ...range]);
    expect(r.code).toBe(0);
    const events = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { event: { id: string } });
    expect(events).toHaveLength(2);
  });

  it('answers a malformed query or a missing store with exit 2 and what was expected', async () => {
    const bad = await sluice(['search', 'level:(', ...range]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('a value is missing after "level:"');
    expect(bad.stderr).toContain('(at character 7)');
    const unknown = await sluice(['search', 'service.nam:orders', ...range]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown field service.nam');
    expect(unknown.stderr).toContain('did you mean service.name?');
    expect(unknown.stderr).toContain(`\n  service.nam:orders\n  ^${'~'.repeat(10)}\n`);
    const none = await sluice(['search', 'x', '--store', 'nowhere']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/no embedded store at .*nowhere.events\.db; expected the data directory/);
  });
});

describe('sluice trace', () => {
  it('prints one transaction across services, oldest first, with offsets and errors', async () => {
    const r = await sluice(['trace', 'tx-alpha']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('transaction tx-alpha: 4 events, 4.000 s, 1 error, from 2026-01-01T12:00:00.000Z');
    expect(lines[1]).toBe('services: api-gateway (1) → orders (2) → payments (1, 1 error)');
    expect(lines[2]).toMatch(
      /^\+ {3}0\.000s {2}info {3}api-gateway +tx-alpha +request received POST \/orders$/,
    );
    expect(lines[4]).toMatch(
      /^\+ {3}3\.000s {2}error +payments .*payment declined by issuer \[CardDeclinedError: insufficient funds\]$/,
    ); // then the invocations: no platform lines in this fixture, so one first-to-last bar per service
    expect(lines.slice(6)).toEqual([
      'invocations:',
      '  +   0.000s  api-gateway  -  0 ms  from log lines',
      '  +   1.000s  orders  -  3000 ms  from log lines',
      '  +   3.000s  payments  -  0 ms  error  from log lines',
    ]);
  });

  it('exits 1 for a transaction without events, 2 without an id', async () => {
    expect((await sluice(['trace', 'tx-none'])).code).toBe(1);
    expect((await sluice(['trace'])).code).toBe(2);
  });
});
