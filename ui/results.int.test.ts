import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { RunningStart } from '../local/start.js';
import { browserTest, search, startUiApp } from '../test/e2e/browser.js';

/** A service name that breaks any query built without quoting. */
const SVC = 'pay "svc" v2';
const STREAM = '2026/12/05/[$LATEST]planted';
const STACK = [
  'Error: card processor timed out',
  ...Array.from({ length: 11 }, (_, i) => `    at frame${i} (pay.js:${i + 1}:5)`),
].join('\n');

/** Seven events of one log stream, a second apart; the fourth is an error with a 12-line stack. */
function planted(now: number): unknown {
  return {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: '/aws/lambda/pay-svc',
    logStream: STREAM,
    subscriptionFilters: ['all'],
    logEvents: [1, 2, 3, 4, 5, 6, 7].map((i) => ({
      id: `planted-${i}`,
      timestamp: now - 90_000 + i * 1000,
      message: JSON.stringify({
        level: i === 4 ? 50 : 30,
        time: now - 90_000 + i * 1000,
        name: SVC,
        msg: `planted ${i}`,
        order_id: `ord-planted-${i}`,
        ...(i === 4
          ? { err: { type: 'ProcessorTimeout', message: 'card processor timed out', stack: STACK } }
          : {}),
      }),
    })),
  };
}

const rowIds = (page: Page): Promise<string[]> =>
  page.getByTestId('result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id') ?? ''));
const rowTimes = (page: Page): Promise<number[]> =>
  page
    .getByTestId('result-row')
    .evaluateAll((rows) => rows.map((r) => Date.parse(r.getAttribute('data-ts') ?? '')));

/** The UI app with the demo's backfill and the planted stream in. */
async function startWithPlanted(dir: string): Promise<RunningStart> {
  const app = await startUiApp(dir, { backfillMinutes: 3, minIndexed: 1000 });
  const res = await fetch(`${app.url}/ingest/cwl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(planted(Date.now())),
  });
  expect(res.status).toBe(202);
  for (let i = 0; i < 100; i++) {
    const r = (await (await fetch(`${app.url}/api/search?q=planted`)).json()) as { total: number };
    if (r.total === 7) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return app;
}

const it = browserTest({
  prefix: 'sluice-results-',
  app: startWithPlanted,
  chromium: { acceptDownloads: true },
});

it.beforeAll(async ({ app, browser }) => {
  await browser.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
});

describe('result list in real Chromium: paging, sort, columns, field list, filters, event page, export', () => {
  it('loads page 2 after the newest 100: different, older events, in order', async ({ app, page }) => {
    await page.goto(`${app.url}/?range=1h`);
    await page.getByTestId('result-row').first().waitFor();
    const first = await rowIds(page);
    expect(first).toHaveLength(100);
    await page.getByTestId('load-more').click();
    await expect.poll(async () => (await rowIds(page)).length).toBeGreaterThanOrEqual(200);
    const all = await rowIds(page);
    const second = all.slice(100, 200);
    expect(new Set(all).size).toBe(all.length);
    expect(second.some((id) => first.includes(id))).toBe(false);
    const times = await rowTimes(page);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeLessThanOrEqual(times[i - 1]!);
    // Infinite scroll: the end of the list coming into view loads the next page by itself.
    await page.locator('.list-end').scrollIntoViewIfNeeded();
    await expect.poll(async () => (await rowIds(page)).length).toBeGreaterThanOrEqual(300);
    expect(new Set(await rowIds(page)).size).toBe((await rowIds(page)).length);
    await page.evaluate(() => window.scrollTo(0, 0));
  });

  it('flips the sort to oldest first and back, kept in the URL', async ({ page }) => {
    const newest = (await rowTimes(page))[0]!;
    await page.getByTestId('sort-time').click();
    await expect.poll(() => page.url()).toContain('sort=asc');
    await page.waitForFunction(
      (t) =>
        Date.parse(document.querySelector('[data-testid="result-row"]')?.getAttribute('data-ts') ?? '') < t,
      newest,
    );
    const times = await rowTimes(page);
    for (let i = 1; i < times.length; i++) expect(times[i]).toBeGreaterThanOrEqual(times[i - 1]!);
    expect(await page.getByTestId('sort-time').textContent()).toContain('↑');
    await page.getByTestId('sort-time').click();
    await expect.poll(() => page.url()).not.toContain('sort=asc');
    // The live tail puts new events on top: turning it on goes back to newest first.
    await page.getByTestId('sort-time').click();
    await expect.poll(() => page.url()).toContain('sort=asc');
    const liveButton = page.getByRole('button', { name: /Live/ });
    await liveButton.click();
    await expect.poll(() => page.url()).not.toContain('sort=asc');
    await expect.poll(() => page.getByTestId('sort-time').textContent()).toContain('↓');
    await liveButton.click();
    await expect.poll(() => liveButton.getAttribute('aria-pressed')).toBe('false');
  });

  it('sorts by level, service and duration from the column headers, with arrows, paging and the URL', async ({
    app,
    browser,
    page,
  }) => {
    const SEVERITY = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
    type Row = { id: string; level: number; service: string; t: number; duration: string };
    const rows = (): Promise<Row[]> =>
      page.getByTestId('result-row').evaluateAll((els, severity) => {
        const durationCol = [...document.querySelectorAll('.results thead th')].findIndex(
          (th) => th.getAttribute('data-column') === 'lambda.report.duration_ms',
        );
        return els.map((r) => ({
          id: r.getAttribute('data-id') ?? '',
          level: severity.indexOf(/lvl-(\w+)/.exec(r.className)?.[1] ?? ''),
          service: r.querySelector('.c-service')?.textContent ?? '',
          t: Date.parse(r.getAttribute('data-ts') ?? ''),
          duration: durationCol < 0 ? '' : (r.children[durationCol]?.textContent ?? ''),
        }));
      }, SEVERITY);
    /** Each row after its predecessor in `cmp`'s order, ties newest first. */
    const expectOrder = (list: Row[], cmp: (a: Row, b: Row) => number): void => {
      for (let i = 1; i < list.length; i++) {
        const c = cmp(list[i - 1]!, list[i]!);
        expect(c, `${list[i - 1]!.id} before ${list[i]!.id}`).toBeLessThanOrEqual(0);
        if (c === 0) expect(list[i]!.t).toBeLessThanOrEqual(list[i - 1]!.t);
      }
    };
    const firstId = async (): Promise<string> => (await rowIds(page))[0] ?? '';
    await page.goto(`${app.url}/?range=1h`);
    await page.getByTestId('result-row').first().waitFor();
    const before = await firstId();

    // Level: most severe first, the arrow and aria-sort on its header only.
    await page.getByTestId('sort-log.level').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('log.level:desc');
    await expect.poll(async () => (await rows())[0]?.level).toBeGreaterThanOrEqual(4);
    expect(await page.getByTestId('sort-log.level').textContent()).toContain('↓');
    expect(await page.locator('th[data-column="log.level"]').getAttribute('aria-sort')).toBe('descending');
    expect(await page.getByTestId('sort-time').textContent()).not.toMatch(/[↑↓]/);
    // paging continues in the same order, every event once
    await page.getByTestId('load-more').click();
    await expect.poll(async () => (await rows()).length).toBeGreaterThanOrEqual(200);
    const byLevel = await rows();
    expect(new Set(byLevel.map((r) => r.id)).size).toBe(byLevel.length);
    expectOrder(byLevel, (a, b) => b.level - a.level);
    expect(await page.getByTestId('total').textContent()).toMatch(/first \d+ by log\.level ↓ shown/);
    // a second click flips it
    await page.getByTestId('sort-log.level').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('log.level:asc');
    await expect.poll(async () => (await rows())[0]?.level).toBeLessThanOrEqual(2);
    expectOrder(await rows(), (a, b) => a.level - b.level);

    // Service: A to Z, each service's events newest first; the URL alone brings it back.
    await page.getByTestId('sort-service.name').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('service.name:asc');
    await page.waitForFunction(() =>
      document.querySelector('th[data-column="service.name"]')?.getAttribute('aria-sort'),
    );
    await expect.poll(async () => (await rows())[0]?.service).toBe('api-gateway');
    await page.getByTestId('load-more').click();
    await expect.poll(async () => (await rows()).length).toBeGreaterThanOrEqual(200);
    const byService = await rows();
    expect(new Set(byService.map((r) => r.id)).size).toBe(byService.length);
    expectOrder(byService, (a, b) => (a.service < b.service ? -1 : a.service > b.service ? 1 : 0));
    const other = await browser.newPage();
    await other.goto(page.url());
    await other.getByTestId('result-row').first().waitFor();
    expect(await other.getByTestId('sort-service.name').textContent()).toContain('↑');
    await other.close();

    // A REPORT figure, added as a column: largest first, rows without it last.
    await page.goto(
      `${app.url}/?range=1h&cols=log.level,service.name,message,lambda.report.duration_ms&sort=lambda.report.duration_ms:desc`,
    );
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('sort-lambda.report.duration_ms').textContent()).toContain('↓');
    const byDuration = (await rows()).map((r) => r.duration);
    const numbers = byDuration.filter((d) => /^\d/.test(d)).map(Number);
    expect(numbers.length).toBeGreaterThan(5);
    expect(numbers).toEqual([...numbers].sort((a, b) => b - a));
    expect(byDuration.slice(0, numbers.length).every((d) => /^\d/.test(d))).toBe(true);
    // the demo's store is far below the window: the list says nothing about one
    expect(await page.getByTestId('sort-window').count()).toBe(0);

    // The time header goes back to the time order: newest first, then oldest first.
    await page.getByTestId('sort-time').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBeNull();
    await expect.poll(() => page.getByTestId('sort-time').textContent()).toContain('↓');
    await page.getByTestId('sort-time').click();
    await expect.poll(() => new URL(page.url()).searchParams.get('sort')).toBe('asc');
    expect(before).not.toBe('');
    await page.goto(`${app.url}/?range=1h`);
  });

  it('adds a column from the field list, keeps it in a permalink, removes it from its header', async ({
    app,
    browser,
    page,
  }) => {
    const field = page.locator('[data-testid="field-list"] li[data-field="aws.cloudwatch.log_group"]');
    await field.waitFor();
    await field.getByRole('button', { name: 'Show column aws.cloudwatch.log_group' }).click();
    await expect.poll(() => page.url()).toContain('cols=');
    expect(new URL(page.url()).searchParams.get('cols')).toBe(
      'log.level,service.name,message,transaction.id,aws.cloudwatch.log_group',
    );
    const header = page.locator('th[data-column="aws.cloudwatch.log_group"]');
    await header.waitFor();
    expect(await page.locator('[data-testid="result-row"] td').nth(5).textContent()).toMatch(
      /^\/aws\/lambda\//,
    );
    // The URL alone brings the column back.
    const other = await browser.newPage();
    await other.goto(page.url());
    await other.locator('th[data-column="aws.cloudwatch.log_group"]').waitFor();
    await other.close();
    await header.hover();
    await page.getByRole('button', { name: 'Remove column aws.cloudwatch.log_group' }).click();
    await expect.poll(() => page.url()).not.toContain('cols=');
    await expect.poll(() => header.count()).toBe(0);
    // Removing a default column is kept too.
    await page.locator('th[data-column="transaction.id"]').hover();
    await page.getByRole('button', { name: 'Remove column transaction.id' }).click();
    await expect
      .poll(() => new URL(page.url()).searchParams.get('cols'))
      .toBe('log.level,service.name,message');
    await page.goto(`${app.url}/?range=1h`);
  });

  it('shows top values of an attribute field from a stated sample, and filters in and out by them', async ({
    page,
  }) => {
    await search(page, 'planted');
    await expect
      .poll(() => page.getByTestId('field-sample').textContent())
      .toContain('Top 5 values in 7 sample records');
    const field = page.locator('[data-testid="field-list"] li[data-field="attributes.order_id"]');
    await field.locator('.field-name').click();
    await expect.poll(() => field.getByTestId('top-value').count()).toBe(5);
    const values = await field.getByTestId('top-value').allTextContents();
    expect(values.every((v) => v.startsWith('ord-planted-'))).toBe(true);
    await field.getByRole('button', { name: 'Filter out attributes.order_id: ord-planted-3' }).click();
    await expect
      .poll(() => page.getByTestId('filter-pill').allTextContents())
      .toEqual(['NOT attributes.order_id:ord-planted-3×']);
    await expect.poll(async () => (await rowIds(page)).length).toBe(6);
    expect(await rowIds(page)).not.toContain('planted-3');
    await page.getByRole('button', { name: 'Remove filter -attributes.order_id:ord-planted-3' }).click();
    await expect.poll(async () => (await rowIds(page)).length).toBe(7);
    expect(new URL(page.url()).searchParams.getAll('f')).toEqual([]);
  });

  it('builds a quoted clause from a facet click on a service named with quotes and spaces', async ({
    page,
  }) => {
    await search(page, '');
    await page.locator('.facet-item', { hasText: SVC }).click();
    const clause = 'service.name:"pay \\"svc\\" v2"';
    await expect.poll(() => page.getByTestId('filter-pill').allTextContents()).toEqual([`${clause}×`]);
    expect(new URL(page.url()).searchParams.getAll('f')).toEqual([clause]);
    await expect.poll(async () => (await rowIds(page)).length).toBe(7);
    expect(await page.locator('.error-box').count()).toBe(0);
    await page.screenshot({ path: join(tmpdir(), 'sluice-results-pill.png') });
    // The pill flips to an exclusion: the seven are gone, others remain.
    await page.getByTestId('filter-pill').locator('.pill-text').click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('f')).toEqual([`-${clause}`]);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="result-row"]').length > 7);
    expect((await rowIds(page)).some((id) => id.startsWith('planted-'))).toBe(false);
    // Include from an event's detail: the value is quoted the same way; the opposite pill is replaced.
    await page.getByTestId('filter-pill').locator('.pill-text').click();
    await expect.poll(async () => (await rowIds(page)).length).toBe(7);
  });

  it('opens an error event with its error and multi-line stack above the fold, and copies', async ({
    page,
  }) => {
    await page.locator('[data-testid="result-row"][data-id="planted-4"]').click();
    const detail = page.getByTestId('event-detail');
    await detail.waitFor();
    const block = detail.getByTestId('error-block');
    const stack = block.getByTestId('stack-trace');
    const text = (await stack.textContent()) ?? '';
    expect(text.split('\n')).toHaveLength(12);
    expect(text).not.toContain('\\n');
    // Drawn on twelve lines, not one: its height is at least twelve line heights.
    const lines = await stack.evaluate(
      (el) => el.getBoundingClientRect().height / Number.parseFloat(getComputedStyle(el).lineHeight),
    );
    expect(lines).toBeGreaterThanOrEqual(12);
    const box = (await block.boundingBox())!;
    const fields = (await detail.locator('table.fields').boundingBox())!;
    expect(box.y).toBeLessThan(fields.y);
    expect(box.y + box.height).toBeLessThan(900);
    // The stack is drawn whole (no inner scroll box cutting it).
    expect(await stack.evaluate((el) => el.scrollHeight <= el.clientHeight + 1)).toBe(true);
    await detail.getByRole('button', { name: 'Copy the whole event as JSON' }).click();
    await expect
      .poll(() => detail.getByRole('button', { name: 'Copy the whole event as JSON' }).textContent())
      .toBe('Copied ✓');
    const copied = JSON.parse(await page.evaluate(() => navigator.clipboard.readText())) as {
      event: { id: string };
      error: { stack_trace: string };
    };
    expect(copied.event.id).toBe('planted-4');
    expect(copied.error.stack_trace).toBe(STACK);
    await detail.getByRole('button', { name: 'Copy the value of attributes.order_id' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe('ord-planted-4');
    // A per-field filter from the detail builds a pill.
    await detail.getByRole('button', { name: 'Filter for attributes.order_id value' }).click();
    await expect.poll(async () => (await rowIds(page)).length).toBe(1);
    expect(new URL(page.url()).searchParams.getAll('f')).toContain('attributes.order_id:ord-planted-4');
  });

  it('filters on a field being present from the event detail', async ({ app, page }) => {
    await page.goto(`${app.url}/?range=1h&q=planted`);
    await expect.poll(async () => (await rowIds(page)).length).toBe(7);
    await page.locator('[data-testid="result-row"][data-id="planted-4"]').click();
    await page.getByRole('button', { name: 'Filter for error.type present' }).click();
    await expect.poll(() => page.getByTestId('filter-pill').allTextContents()).toEqual(['error.type:*×']);
    await expect.poll(async () => rowIds(page)).toEqual(['planted-4']);
    await page.screenshot({ path: join(tmpdir(), 'sluice-results-detail.png') });
  });

  it('opens the event on its own page between its surrounding events of the same log stream', async ({
    page,
  }) => {
    const row = page.locator('[data-testid="result-row"][data-id="planted-4"]');
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    await page.getByTestId('event-detail').getByTestId('permalink').click();
    await page.getByTestId('event-view').waitFor();
    expect(new URL(page.url()).pathname).toBe('/event/planted-4');
    const ids = (where: string) =>
      page
        .getByTestId(where)
        .getByTestId('surrounding-event')
        .evaluateAll((els) => els.map((e) => e.getAttribute('data-id')));
    await expect.poll(() => ids('before')).toEqual(['planted-1', 'planted-2', 'planted-3']);
    await expect.poll(() => ids('after')).toEqual(['planted-5', 'planted-6', 'planted-7']);
    await expect.poll(() => page.getByTestId('surrounding-scope').textContent()).toContain(STREAM);
    await page.screenshot({ path: join(tmpdir(), 'sluice-results-event.png') });
    await page.getByRole('button', { name: '← Back' }).click();
    await page.getByTestId('result-row').first().waitFor();
  });

  it('opens a permalink to one event in a new tab, expanded', async ({ app, browser }) => {
    const other = await browser.newPage();
    await other.goto(`${app.url}/event/planted-6`);
    await other.getByTestId('event-view').waitFor();
    await expect.poll(() => other.getByTestId('event-id').textContent()).toBe('planted-6');
    const anchor = other.getByTestId('anchor');
    await expect.poll(() => anchor.getByTestId('event-detail').isVisible()).toBe(true);
    await expect
      .poll(() => anchor.locator('tr[data-field="message"] .field-value').textContent())
      .toBe('planted 6');
    await other.close();
  });

  it('exports the shown result list as NDJSON and CSV with the right rows', async ({ app, page }) => {
    await page.goto(`${app.url}/?range=1h&f=${encodeURIComponent('service.name:"pay \\"svc\\" v2"')}`);
    await expect.poll(async () => (await rowIds(page)).length).toBe(7);
    const [ndjson] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-ndjson').click(),
    ]);
    expect(ndjson.suggestedFilename()).toMatch(/^sluice-export-.*\.ndjson$/);
    const lines = readFileSync((await ndjson.path())!, 'utf8')
      .trimEnd()
      .split('\n');
    const events = lines.map((l) => JSON.parse(l) as { event: { id: string }; service: { name: string } });
    expect(events.map((e) => e.event.id)).toEqual(await rowIds(page));
    expect(events.every((e) => e.service.name === SVC)).toBe(true);
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
    const rows = readFileSync((await csv.path())!, 'utf8').split('\r\n');
    // `@timestamp` starts with @, which a spreadsheet would run as a formula: written as text.
    expect(rows[0]).toBe("'@timestamp,log.level,service.name,message,transaction.id");
    expect(rows).toHaveLength(9); // header, 7 events, the empty string after the last CRLF
    expect(rows[1]).toMatch(/^\d{4}-\d\d-\d\dT[^,]+,info,"pay ""svc"" v2",planted 7,$/);
    expect(rows[4]).toMatch(/,error,"pay ""svc"" v2",planted 4,$/);
  });
});
