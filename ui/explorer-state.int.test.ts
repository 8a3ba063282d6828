import type { ChildProcess } from 'node:child_process';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import { browserTest, search } from '../test/e2e/browser.js';
import { explorerUrl, spawnStart, stopStart } from '../test/e2e/start-process.js';
import { freePort } from '../test/services/process.js';
import { ERROR_FILL, OTHER_FILL, preferredColor } from './src/palette.js';

/**
 * The explorer's states in a real Chromium against the real `sluice start` process (spawned, no demo:
 * every event is sent by the test over /ingest/ndjson, so times and order are known): stale results,
 * the server stopped and restarted, live-tail order / pause / selection, time zone and ranges, the
 * stacked histogram, service colours, and phone width.
 */
/** The browser's zone: UTC+05:30 all year, so local and UTC times differ by a known amount. */
const ZONE = 'Asia/Kolkata';
const ZONE_MS = 5.5 * 3_600_000;

let dir: string;
let port: number;
let url: string;
let server: ChildProcess | undefined;

async function startServer(): Promise<void> {
  server = spawnStart(['--no-demo', '--port', String(port), '--data-dir', dir, '--quiet'], dir);
  url = await explorerUrl(server);
}

async function stopServer(): Promise<void> {
  const child = server;
  server = undefined;
  await stopStart(child);
}

interface Line {
  at: number;
  msg: string;
  level?: string;
  service?: string;
}

/** Sends events with the given times and waits until they are searchable. */
async function ingest(lines: readonly Line[]): Promise<void> {
  const body = lines
    .map((l) =>
      JSON.stringify({
        '@timestamp': new Date(l.at).toISOString(),
        level: l.level ?? 'info',
        service: l.service ?? 'ui-test',
        message: l.msg,
      }),
    )
    .join('\n');
  const res = await fetch(`${url}/ingest/ndjson`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-ndjson' },
    body,
  });
  expect(res.status).toBe(202);
  const last = lines.at(-1)!.msg;
  await expect
    .poll(
      async () => {
        const r = await fetch(`${url}/api/search?q=${encodeURIComponent(`"${last}"`)}&from=0`);
        return ((await r.json()) as { total: number }).total;
      },
      { timeout: 15_000 },
    )
    .toBeGreaterThan(0);
}

const rows = (p: Page) => p.getByTestId('result-row');
const rowTexts = (p: Page) => rows(p).locator('.msg').allTextContents();
/** `2026-12-05 14:03:07.123` of epoch ms `t` shifted by `offsetMs`. */
const fmt = (t: number, offsetMs: number): string =>
  new Date(t + offsetMs).toISOString().replace('T', ' ').slice(0, 23);

const it = browserTest({
  prefix: 'sluice-ui-state-',
  chromium: { timezoneId: ZONE },
  setupTimeoutMs: 120_000,
});

it.beforeAll(async ({ dir: d }) => {
  dir = d;
  port = await freePort();
  await startServer();
}, 120_000);

it.afterAll(async () => {
  await stopServer();
});

describe('times', () => {
  it('shows every row with its date in the display zone, names the zone, and keeps a UTC choice', async ({
    page,
  }) => {
    const at = Date.now() - 120_000 - ((Date.now() - 120_000) % 1000) + 123;
    await ingest([{ at, msg: 'tz-marker one' }]);
    await page.goto(`${url}/?q=tz-marker`);
    const cell = rows(page).first().locator('.c-time');
    await expect.poll(() => cell.textContent()).toBe(fmt(at, ZONE_MS));
    expect(await page.locator('th.c-time').textContent()).toContain('UTC+05:30');

    await page.getByTestId('zone-toggle').click();
    await expect.poll(() => cell.textContent()).toBe(fmt(at, 0));
    expect(await page.locator('th.c-time').textContent()).toContain('UTC');
    // the histogram's range uses the same format and zone
    expect(await page.locator('.histogram-head').textContent()).toMatch(
      /\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} → \d{4}-\d\d-\d\d/,
    );

    await page.reload();
    await expect.poll(() => rows(page).first().locator('.c-time').textContent()).toBe(fmt(at, 0));
    await page.getByTestId('zone-toggle').click(); // back to local for the other tests
    await expect.poll(() => rows(page).first().locator('.c-time').textContent()).toBe(fmt(at, ZONE_MS));
  });

  it('says an unknown ?range= is unknown and searches the last 15 minutes instead of a blank picker', async ({
    page,
  }) => {
    await ingest([{ at: Date.now() - 60_000, msg: 'range-default-marker' }]);
    await page.goto(`${url}/?range=bogus&q=range-default-marker`);
    await expect.poll(() => page.getByTestId('range-problem').textContent()).toContain('"bogus"');
    expect(await page.getByTestId('range-problem').textContent()).toMatch(/last 15 minutes instead/);
    expect(await page.getByTestId('range-button').textContent()).toContain('Last 15 minutes');
    await expect.poll(() => rowTexts(page)).toEqual(['range-default-marker']);
  });

  it('applies an absolute range typed in the picker, and relative expressions', async ({ page }) => {
    const now = Date.now();
    const h = 3_600_000;
    await ingest([
      { at: now - 3 * h, msg: 'abs-marker three' },
      { at: now - 2 * h, msg: 'abs-marker two' },
      { at: now - 1 * h, msg: 'abs-marker one' },
    ]);
    await page.goto(`${url}/?q=abs-marker`);
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/^0 matching/);

    // local time in the fields (the browser is in UTC+05:30); whole seconds
    const from = now - 2 * h - 15 * 60_000 - (now % 1000);
    const to = now - 2 * h + 15 * 60_000 - (now % 1000);
    await page.getByTestId('range-button').click();
    await page.getByLabel('From').fill(fmt(from, ZONE_MS).slice(0, 19));
    await page.getByLabel('To').fill(fmt(to, ZONE_MS).slice(0, 19));
    const request = page.waitForRequest((r) => r.url().includes('/api/search'));
    await page.getByRole('button', { name: 'Apply' }).click();
    const sent = new URL((await request).url());
    expect(Number(sent.searchParams.get('from'))).toBe(from);
    expect(Number(sent.searchParams.get('to'))).toBe(to);
    expect(new URL(page.url()).searchParams.get('range')).toBe('custom');
    await expect.poll(() => rowTexts(page)).toEqual(['abs-marker two']);
    expect(await page.getByTestId('range-button').textContent()).toContain(fmt(from, ZONE_MS));

    await page.getByTestId('range-button').click();
    await page.getByLabel('Relative range').fill('last 4 hours');
    await page.getByLabel('Relative range').press('Enter');
    await expect.poll(() => rowTexts(page)).toEqual(['abs-marker one', 'abs-marker two', 'abs-marker three']);
    expect(new URL(page.url()).searchParams.get('range')).toBe('4h');
    expect(await page.getByTestId('range-button').textContent()).toContain('Last 4 hours');

    await page.getByTestId('range-button').click();
    await page.getByLabel('From').fill('now-90m');
    await page.getByLabel('To').fill('now');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect.poll(() => rowTexts(page)).toEqual(['abs-marker one']);
    expect(new URL(page.url()).searchParams.get('range')).toBe('90m');

    // a wrong expression is answered in the picker, not searched
    await page.getByTestId('range-button').click();
    await page.getByLabel('From').fill('yesterday');
    await page.getByRole('button', { name: 'Apply' }).click();
    await expect
      .poll(() => page.getByTestId('range-dialog').getByRole('alert').textContent())
      .toMatch(/^From: "yesterday" is not a time: expected/);
    await page.keyboard.press('Escape');
  });
});

describe('histogram and colours', () => {
  it('stacks errors on top of the other levels, with whole-number ticks', async ({ page }) => {
    const at = Date.now() - 30_000;
    await ingest([
      ...Array.from({ length: 60 }, (_, i) => ({ at: at + i, msg: `hist-marker ok ${i}` })),
      ...Array.from({ length: 40 }, (_, i) => ({
        at: at + 100 + i,
        msg: `hist-marker bad ${i}`,
        level: 'error',
      })),
      // two minutes earlier (another bucket): 100 events, one an error
      ...Array.from({ length: 100 }, (_, i) => ({ at: at - 120_000 + i, msg: `hist-marker busy ${i}` })),
      { at: at - 120_000 + 200, msg: 'hist-marker one bad', level: 'error' },
    ]);
    await page.goto(`${url}/?q=hist-marker`);
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/^201 matching/);
    const canvas = page.locator('[data-testid="histogram"] canvas').first();
    await canvas.waitFor();
    // Per pixel column, top to bottom: which bar colour each painted pixel has.
    const columns = await canvas.evaluate(
      (c: HTMLCanvasElement, fills: string[]) => {
        const rgb = fills.map((f) => [1, 3, 5].map((i) => Number.parseInt(f.slice(i, i + 2), 16)));
        const ctx = c.getContext('2d')!;
        const { data } = ctx.getImageData(0, 0, c.width, c.height);
        const out: string[] = [];
        for (let x = 0; x < c.width; x++) {
          let col = '';
          for (let y = 0; y < c.height; y++) {
            const p = (y * c.width + x) * 4;
            const k = rgb.findIndex((v) => v.every((ch, i) => Math.abs(ch - data[p + i]!) <= 4));
            if (k >= 0) col += k === 0 ? 'E' : 'O';
          }
          out.push(col);
        }
        return out;
      },
      [ERROR_FILL, OTHER_FILL],
    );
    const bars = columns.filter((c) => c.length > 0);
    expect(bars.length).toBeGreaterThan(0);
    // errors sit on top of the others (60 others, 40 errors: both clearly visible)
    expect(bars.some((c) => /^E{10,}O{10,}$/.test(c))).toBe(true);
    expect(bars.every((c) => /^E*O*$/.test(c))).toBe(true);
    // one error among 101 still shows as a red cap of a few pixels, not a sub-pixel line
    expect(bars.some((c) => /^E{2,}O{40,}$/.test(c))).toBe(true);
    const ticks = await page.getByTestId('histogram').getAttribute('data-y-ticks');
    expect(ticks?.split(',')).toEqual(expect.arrayContaining(['0']));
    expect(ticks).not.toMatch(/\./);

    // an empty chart: 0 and 1, never 0.5
    await search(page, '"no such event anywhere"');
    await expect.poll(() => page.getByTestId('total').textContent()).toMatch(/^0 matching/);
    await expect.poll(() => page.getByTestId('histogram').getAttribute('data-y-ticks')).toBe('0,1');
  });

  it('gives each service on screen its own colour, also two whose names want the same one', async ({
    page,
  }) => {
    const names = ['colour-a'];
    for (let i = 0; names.length < 3; i++) {
      const n = `colour-${i}`;
      if (preferredColor(n) === preferredColor('colour-a') && names.length === 1) names.push(n);
      else if (names.length === 2 && preferredColor(n) !== preferredColor('colour-a')) names.push(n);
    }
    const at = Date.now() - 20_000;
    await ingest(names.map((service, i) => ({ at: at + i, msg: `colour-marker ${service}`, service })));
    await page.goto(`${url}/?q=colour-marker`);
    await expect.poll(() => rows(page).count()).toBe(3);
    const facetColours = await page
      .locator('.facet')
      .first()
      .locator('.facet-bar')
      .evaluateAll((els) => els.map((e) => getComputedStyle(e).backgroundColor));
    expect(facetColours).toHaveLength(3);
    expect(new Set(facetColours).size).toBe(3);
    const chipColours = await rows(page)
      .locator('.chip')
      .evaluateAll((els) => els.map((e) => (e as HTMLElement).style.getPropertyValue('--c')));
    expect(new Set(chipColours).size).toBe(3);
  });
});

describe('live tail', () => {
  it('shows rows in event-time order when they arrive out of order', async ({ page }) => {
    await page.goto(`${url}/?q=order-marker`);
    await page.getByRole('button', { name: /Live/ }).click();
    await page.locator('.following').waitFor();
    await page.waitForTimeout(1500); // the tail has its cursor
    const now = Date.now();
    const offsets = [1, 5, 3, 2, 4, 7, 6]; // seconds ago, in arrival order
    await ingest(offsets.slice(0, 4).map((s) => ({ at: now - s * 1000, msg: `order-marker ${s}` })));
    await ingest(offsets.slice(4).map((s) => ({ at: now - s * 1000, msg: `order-marker ${s}` })));
    await expect
      .poll(() => rowTexts(page), { timeout: 15_000 })
      .toEqual([1, 2, 3, 4, 5, 6, 7].map((s) => `order-marker ${s}`));
  });

  it('holds the list while the pointer is on it and says how many new events wait', async ({ page }) => {
    const box = await rows(page).first().boundingBox();
    await page.mouse.move(box!.x + 40, box!.y + box!.height / 2);
    await page.getByTestId('live-paused').waitFor();
    const now = Date.now();
    await ingest([0, 1, 2].map((i) => ({ at: now + i, msg: `order-marker new ${i}` })));
    await expect
      .poll(() => page.getByTestId('live-paused').textContent(), { timeout: 10_000 })
      .toMatch(/3 new/);
    expect(await rows(page).count()).toBe(7);
    await page.mouse.move(5, 5); // off the list
    await expect.poll(() => rows(page).count()).toBe(10);
    expect((await rowTexts(page))[0]).toBe('order-marker new 2');
    await expect.poll(() => page.getByTestId('live-paused').count()).toBe(0);
  });

  it('keeps the keyboard selection on the same event while rows arrive above it', async ({ page }) => {
    await page.getByLabel('Search query').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('j');
    await page.keyboard.press('j');
    const selected = page.locator('.row.selected');
    await expect.poll(() => selected.getAttribute('data-index')).toBe('2');
    const id = await selected.getAttribute('data-id');
    const now = Date.now();
    await ingest([0, 1].map((i) => ({ at: now + 1000 + i, msg: `order-marker newer ${i}` })));
    await expect.poll(() => rows(page).count(), { timeout: 10_000 }).toBe(12);
    await expect.poll(() => selected.getAttribute('data-index')).toBe('4');
    expect(await selected.getAttribute('data-id')).toBe(id);
  });

  it('keeps counts and the histogram updating while live', async ({ page }) => {
    const total = page.getByTestId('total');
    expect(await total.textContent()).toMatch(/^(7|10|12) matching/);
    await expect.poll(() => total.textContent(), { timeout: 15_000 }).toMatch(/^12 matching/);
    await page.getByRole('button', { name: /Live/ }).click();
  });
});

describe('live tail on a long list', () => {
  it('holds the list while the page is scrolled down, and the new-events button shows what waited', async ({
    browser,
  }) => {
    const at = Date.now() - 60_000;
    await ingest(Array.from({ length: 60 }, (_, i) => ({ at: at + i, msg: `scroll-marker ${i}` })));
    const p = await browser.newPage();
    await p.goto(`${url}/?q=scroll-marker`);
    await expect.poll(() => rows(p).count()).toBe(60);
    await p.getByRole('button', { name: /Live/ }).click();
    await p.locator('.following').waitFor();
    await p.waitForTimeout(1500); // the tail has its cursor
    await p.mouse.move(5, 5); // the pointer off the list: only the scroll holds it
    await p.evaluate(() => window.scrollTo(0, 1200));
    await p.getByTestId('live-paused').waitFor();
    await ingest([{ at: Date.now(), msg: 'scroll-marker newest' }]);
    await expect.poll(() => p.getByTestId('live-paused').textContent(), { timeout: 10_000 }).toMatch(/1 new/);
    expect(await rows(p).count()).toBe(60);
    // the control is on screen where the reader is, not at the top of the page they scrolled away from
    const pill = await p.getByTestId('live-paused').evaluate((el) => {
      const r = el.getBoundingClientRect();
      return (
        r.top >= 0 && r.bottom <= window.innerHeight && document.elementFromPoint(r.x + 5, r.y + 5) === el
      );
    });
    expect(pill).toBe(true);
    await p.getByTestId('live-paused').click();
    await expect.poll(() => rowTexts(p).then((t) => t[0])).toBe('scroll-marker newest');
    await expect.poll(() => p.evaluate(() => window.scrollY)).toBe(0);
    await p.close();
  });
});

describe('errors and state', () => {
  // a failure while the server is stopped must not leave the later tests without one
  it.afterEach(async () => {
    if (server === undefined) await startServer();
  });

  it('shows a disconnected state when the server stops, and recovers by itself when it is back', async ({
    page,
  }) => {
    await ingest([{ at: Date.now() - 5000, msg: 'reconnect-marker before' }]);
    await page.goto(`${url}/?q=reconnect-marker`);
    await expect.poll(() => rowTexts(page)).toEqual(['reconnect-marker before']);
    await page.getByTestId('counters').waitFor();
    await page.getByRole('button', { name: /Live/ }).click();
    await stopServer();

    const banner = page.getByTestId('disconnected');
    await banner.waitFor({ timeout: 15_000 });
    expect(await banner.textContent()).toMatch(/Disconnected.*live tail is paused.*Retrying/);
    await expect.poll(() => page.getByTestId('counters').getAttribute('class')).toContain('stale');
    await expect.poll(() => page.locator('.following').textContent()).toContain('paused (disconnected)');
    expect(await page.locator('body').textContent()).not.toContain('Failed to fetch');
    // a new search while the server is gone: the previous results are marked as not answering it
    await search(page, 'reconnect-marker other');
    await page.getByTestId('stale-note').waitFor();
    expect(await page.getByTestId('stale-note').textContent()).toMatch(
      /Not results of this query: the server did not answer.*reconnect-marker/,
    );
    // dimmed together with the note, also while the failed search is still waiting for its answer
    expect(await page.getByTestId('layout').getAttribute('class')).toContain('stale');

    await startServer();
    await banner.waitFor({ state: 'detached', timeout: 20_000 });
    await expect.poll(() => page.getByTestId('counters').getAttribute('class')).toBe('counters');
    // the search that failed runs again by itself
    await expect.poll(() => page.getByTestId('layout').getAttribute('class')).toBe('layout');
    expect(await page.getByTestId('stale-note').count()).toBe(0);
    await search(page, 'reconnect-marker');
    // the live tail runs again: an event sent now shows up without a new search
    await page.waitForTimeout(1500);
    await ingest([{ at: Date.now(), msg: 'reconnect-marker after restart' }]);
    await expect.poll(() => rowTexts(page), { timeout: 15_000 }).toContain('reconnect-marker after restart');
    await page.getByRole('button', { name: /Live/ }).click();
  });
});

describe('layout', () => {
  it.for([
    [390, 844],
    [1440, 900],
  ] as const)(
    'at %d px has no horizontal scroll and keeps the search box visible when scrolled',
    async ([width, height], { browser }) => {
      const at = Date.now() - 60_000;
      await ingest(
        Array.from({ length: 60 }, (_, i) => ({
          at: at + i,
          msg: `layout-marker-${width} ${i} a long message that would push the table wider than a phone screen`,
          service: 'a-service-with-a-long-name',
        })),
      );
      const p = await browser.newPage();
      await p.setViewportSize({ width, height });
      await p.goto(`${url}/?q=layout-marker-${width}&range=1h`);
      await expect.poll(() => rows(p).count()).toBe(60);
      const overflow = await p.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
      expect(overflow[0]).toBeLessThanOrEqual(overflow[1]!);
      // the message column is readable (wider than a few characters)
      const msg = await rows(p).first().locator('.c-msg').boundingBox();
      expect(msg!.width).toBeGreaterThan(120);

      await p.mouse.wheel(0, 3000);
      await expect.poll(() => p.evaluate(() => window.scrollY)).toBeGreaterThan(1000);
      const visible = await p.getByLabel('Search query').evaluate((el) => {
        const r = el.getBoundingClientRect();
        const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
        return r.top >= 0 && r.bottom <= window.innerHeight && hit === el;
      });
      expect(visible).toBe(true);
      await p.keyboard.press('/');
      await expect
        .poll(() => p.evaluate(() => document.activeElement?.getAttribute('aria-label')))
        .toBe('Search query');
      await p.close();
    },
  );
});
