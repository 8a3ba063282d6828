import { join } from 'node:path';
import { describe, expect, onTestFinished } from 'vitest';
import type { RunningStart } from '../local/start.js';
import { rebuildRollups } from '../sinks/sqlite/migrate.js';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { browserTest, search } from '../test/e2e/browser.js';
import { startInProcess } from '../test/e2e/start-local.js';
import { buildUi } from './build.js';

/** Events in the store: far more than the counting budget can test one by one. */
const ROWS = 1_000_000;
/**
 * Every tenth event has `attributes.tag` `x1`: a prefix on an `attributes.*` field has no value
 * dictionary (docs/store.md), so no index answers it.
 */
const QUERY = 'attributes.tag:x*';

/**
 * A store of a million events over the last 50 minutes, written with SQL (as the search-off-path
 * test does): a prefix on an attribute has no index, so its counts are a walk that stops at the
 * budget.
 */
async function bigStore(dir: string, now: number): Promise<void> {
  const store = openSqliteStore({ path: join(dir, 'events.db') });
  const t0 = now - 50 * 60_000;
  store.db.exec(`WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < ${ROWS})
    INSERT INTO events (id, ts, level, level_num, service, transaction_id, trace_id, doc)
    SELECT 'e' || i, ${t0} + i * 3, 'info', 2, 'svc' || (i % 7), NULL, NULL,
      json_object('message', 'm', 'log', json_object('format', 'text'),
        'attributes', json_object('tag', CASE WHEN i % 10 = 0 THEN 'x1' ELSE 'y' END),
        'event', json_object('ingested', '2026-01-01T00:00:00.000Z')) FROM c`);
  // The store's write counts the rollups; rows written with SQL are counted here.
  rebuildRollups(store.db);
  await store.close();
}

/** `sluice start` with the UI over the big store in `dir`. */
async function startOverBigStore(dir: string): Promise<RunningStart> {
  await bigStore(dir, Date.now());
  return startInProcess(dir, { sources: { demo: { enabled: false } } }, { ui: await buildUi() });
}

const it = browserTest({ prefix: 'sluice-partial-', app: startOverBigStore, setupTimeoutMs: 180_000 });

describe('counts past the time budget in real Chromium', () => {
  it('answers over the API with a lower bound and from when it counted; exact=1 counts every match', async ({
    app,
  }) => {
    const to = Date.now();
    const q = `q=${encodeURIComponent(QUERY)}&from=${to - 3_600_000}&to=${to}`;
    const res = await fetch(`${app.url}/api/search?${q}`);
    const body = (await res.json()) as {
      total: number;
      partial?: { countedFrom: number; reason: string; unindexed?: string };
    };
    expect(res.status, JSON.stringify(body)).toBe(200);
    expect(body.partial?.countedFrom).toBeGreaterThan(to - 3_600_000);
    // Why: the prefix on an attribute has no index, so the range was walked.
    expect(body.partial).toMatchObject({ reason: 'no-index', unindexed: QUERY });
    expect(body.total).toBeLessThan(ROWS / 10);
    const exact = await fetch(`${app.url}/api/search?${q}&exact=1`);
    const all = (await exact.json()) as { total: number; partial?: unknown };
    expect(exact.status, JSON.stringify(all)).toBe(200);
    expect(all.partial).toBeUndefined();
    expect(all.total).toBe(ROWS / 10);
  }, 120_000);

  it('shows the count as a lower bound and says from when it counted, in the list head and the histogram', async ({
    app,
    page,
  }) => {
    await page.goto(`${app.url}/?range=1h&q=${encodeURIComponent(QUERY)}`);
    const total = page.getByTestId('total');
    await expect.poll(() => total.textContent(), { timeout: 120_000 }).toMatch(/^≥ [\d,]+ matching events/);
    const shown = Number(
      ((await total.textContent()) ?? '').replace(/^≥ ([\d,]+).*$/s, '$1').replace(/,/g, ''),
    );
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(ROWS / 10);
    await expect.poll(() => page.getByTestId('partial').textContent()).toMatch(/^counted back to \S+/);
    await expect.poll(() => page.getByTestId('histogram-partial').textContent()).toMatch(/counted from \S+/);
    // The newest matches are listed all the same.
    await expect.poll(() => page.getByTestId('result-row').count()).toBeGreaterThan(0);
  }, 180_000);

  it('says why the count is partial, and "Count all" shows the exact total, histogram and facets', async ({
    app,
    page,
  }) => {
    await page.goto(`${app.url}/?range=1h&q=${encodeURIComponent(QUERY)}`);
    await expect
      .poll(() => page.getByTestId('partial-reason').textContent(), { timeout: 120_000 })
      .toContain(`no index answers ${QUERY}`);
    const button = page.getByTestId('count-all');
    await expect.poll(() => button.textContent()).toBe('Count all');
    // A second click stops the count: the partial answer stays.
    await button.click();
    await expect.poll(() => button.textContent()).toContain('counting all…');
    await button.click();
    await expect.poll(() => button.textContent()).toBe('Count all');
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/^≥ /);
    await button.click();
    const exact = `${(ROWS / 10).toLocaleString('en')} matching events`;
    await expect
      .poll(() => page.getByTestId('total').textContent(), { timeout: 120_000 })
      .toMatch(new RegExp(`^${exact}`));
    await expect.poll(() => page.getByTestId('partial').count()).toBe(0);
    await expect.poll(() => page.getByTestId('histogram-partial').count()).toBe(0);
    await expect.poll(() => page.getByTestId('counted-all').textContent()).toMatch(/^every match counted/);
    // The facets count every match too: the services' counts add up to the total.
    const serviceFacetSum = () =>
      page.evaluate(() =>
        [...(document.querySelector('[aria-label="Facets"] .facet')?.querySelectorAll('.facet-count') ?? [])]
          .map((el) => Number((el.textContent ?? '').replace(/\D/g, '')))
          .reduce((a, b) => a + b, 0),
      );
    await expect.poll(serviceFacetSum).toBe(ROWS / 10);
  }, 240_000);

  it("says so plainly and keeps the partial answer when the server's time limit stops Count all", async ({
    dir,
    app,
    page,
  }) => {
    // The same store behind a server whose searches stop after 5 s, and a query that tests many
    // prefixes on each event: its bounded count stops at its 600 ms budget (about 1.5 s with its page at
    // load 5), counting all takes about 25 s.
    await app.stop();
    const slowApp = await startInProcess(
      dir,
      { sources: { demo: { enabled: false } }, http: { port: 0, limits: { search_timeout_ms: 5_000 } } },
      { ui: await buildUi() },
    );
    onTestFinished(() => slowApp.stop());
    const slow = [...'abcdefghijklmnopqrstuvw'].map((c) => `attributes.tag:${c}*`).join(' OR ');
    await page.goto(`${slowApp.url}/?range=1h&q=${encodeURIComponent(slow)}`);
    await expect
      .poll(() => page.getByTestId('partial-reason').textContent(), { timeout: 120_000 })
      .toContain('no index answers attributes.tag:a*');
    const bound = await page.getByTestId('total').textContent();
    await page.getByTestId('count-all').click();
    await expect
      .poll(() => page.getByTestId('count-all-error').textContent(), { timeout: 60_000 })
      .toMatch(/search time limit stopped counting all.*still partial/);
    // The partial answer stays, and the button can count again.
    await expect.poll(() => page.getByTestId('total').textContent()).toBe(bound);
    await expect.poll(() => page.getByTestId('count-all').textContent()).toBe('Count all');
    // A new query stops a count that is running: the browser drops its request.
    const dropped: string[] = [];
    page.on('requestfailed', (r) => {
      if (r.url().includes('exact=1')) dropped.push(r.url());
    });
    await page.getByTestId('count-all').click();
    await expect.poll(() => page.getByTestId('count-all').textContent()).toContain('counting all…');
    await search(page, QUERY);
    await expect.poll(() => dropped.length, { timeout: 30_000 }).toBe(1);
    await expect
      .poll(() => page.getByTestId('partial-reason').textContent(), { timeout: 60_000 })
      .toContain(`no index answers ${QUERY}`);
    await expect.poll(() => page.getByTestId('count-all').textContent()).toBe('Count all');
  }, 240_000);
});
