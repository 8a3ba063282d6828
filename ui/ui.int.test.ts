import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { browserTest, search, startUiApp } from '../test/e2e/browser.js';

/** Where the screenshots go (printed; look at them). */
const SHOTS = join(tmpdir(), 'sluice-ui-shots');

// Until the backfill is in (a few thousand events).
const it = browserTest({
  prefix: 'sluice-ui-',
  app: (dir) => startUiApp(dir, { backfillMinutes: 3, minIndexed: 2000 }),
});

describe('trace explorer in real Chromium', () => {
  it('loads with demo traffic: histogram, facets, results and live counters', async ({ app, page }) => {
    await page.goto(app.url);
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('result-row').count()).toBeGreaterThan(10);
    await page.locator('[data-testid="histogram"] canvas').first().waitFor();
    const facets = await page.locator('.facets').textContent();
    for (const svc of ['api-gateway', 'orders', 'payments', 'inventory', 'notifications'])
      expect(facets).toContain(svc);
    await expect.poll(() => page.getByTestId('counters').textContent()).toMatch(/indexed \d/);
    await page.screenshot({ path: join(SHOTS, '1-search.png') });
  });

  it('searches with field filters and shows only matching events', async ({ page }) => {
    await search(page, 'service.name:payments level:error');
    await expect.poll(() => page.url()).toContain('q=service.name');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('[data-testid="result-row"]')];
      return (
        rows.length > 0 &&
        rows.every((r) => r.textContent?.includes('payments') && r.textContent.includes('error'))
      );
    });
    await page.screenshot({ path: join(SHOTS, '2-errors.png') });
  });

  it('opens a transaction across services from a result, with a shareable URL', async ({ browser, page }) => {
    await page.getByTestId('trace-link').first().click();
    await page.getByTestId('trace-view').waitFor();
    await expect.poll(() => page.url()).toMatch(/\/trace\/[0-9a-f-]{36}/);
    expect(await page.getByTestId('invocation-row').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('.step-err').count()).toBeGreaterThan(0);
    const id = await page.getByTestId('trace-id').textContent();
    await page.screenshot({ path: join(SHOTS, '3-trace.png'), fullPage: true });
    // The URL alone brings the same trace back (shareable).
    const other = await browser.newPage();
    await other.goto(page.url());
    await other.getByTestId('trace-view').waitFor();
    expect(await other.getByTestId('trace-id').textContent()).toBe(id);
    await other.close();
  });

  it('is usable from the keyboard: / to search, j/k to move, Enter to expand, t for the trace, Esc back', async ({
    page,
  }) => {
    await page.keyboard.press('Escape');
    await page.getByTestId('result-row').first().waitFor();
    await page.keyboard.press('/');
    await page.keyboard.type(' ');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('service:notifications "order confirmation"');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="result-row"]')].every((r) =>
        r.textContent?.includes('notifications'),
      ),
    );
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('j');
    await expect.poll(() => page.locator('.row.selected').getAttribute('data-index')).toBe('1');
    await page.keyboard.press('Enter');
    await page.locator('.json-row').first().waitFor();
    expect(await page.locator('.json-row').first().textContent()).toContain('transaction.id');
    await page.keyboard.press('t');
    await page.getByTestId('trace-view').waitFor();
    // a checkout that reached notifications went through all five services
    expect(await page.getByTestId('trace-service-count').textContent()).toBe('5');
    await page.keyboard.press('Escape');
    await page.getByTestId('result-row').first().waitFor();
    await expect.poll(() => new URL(page.url()).pathname).toBe('/');
  });

  it('follows new events with the live tail', async ({ page }) => {
    await search(page, '');
    await page.getByTestId('result-row').first().waitFor();
    const before = await page.getByTestId('result-row').first().getAttribute('data-index');
    expect(before).toBe('0');
    const newestBefore = await page.locator('[data-testid="result-row"] .c-time').first().textContent();
    await page.getByRole('button', { name: /Live/ }).click();
    await expect
      .poll(() => page.getByRole('button', { name: /Live/ }).getAttribute('aria-pressed'))
      .toBe('true');
    // The tail holds still while the pointer is on the list or the page is scrolled (uib's pause):
    // the pointer off the list, the page at the top, so it follows.
    await page.mouse.move(1, 1);
    await page.evaluate(() => window.scrollTo(0, 0));
    // The demo keeps writing: fresh rows arrive on top without searching again.
    await page.locator('.row.fresh').first().waitFor({ timeout: 15_000 });
    const newestAfter = await page.locator('[data-testid="result-row"] .c-time').first().textContent();
    expect(newestAfter).not.toBe(newestBefore);
    await page.getByRole('button', { name: /Live/ }).click();
  });

  it('shows redacted personal data, never the planted emails or card numbers', async ({ page }) => {
    await search(page, '"sending order confirmation"');
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="result-row"]')?.textContent?.includes('REDACTED'),
    );
    const text = await page.locator('.results').textContent();
    expect(text).not.toMatch(/@example\.(com|org|net|io)/);
  });
});
