import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect } from 'vitest';
import type { RunningStart } from '../local/start.js';
import { browserTest, startUiApp } from '../test/e2e/browser.js';
import { lambdaCheckout, postLambdaGroups, R_PAY } from '../test/factories/lambda-spans.js';
import { uniqueSegment } from '../test/factories/log-events.js';

const SHOTS = join(tmpdir(), 'sluice-ui-shots');
const T = Date.now() - 60_000;
const tx = `tx-${uniqueSegment('wf')}`;
const other = `tx-${uniqueSegment('wf-other')}`;

/** The UI app with the Lambda checkout of `tx` (and of `other`) in. */
async function startWithCheckout(dir: string): Promise<RunningStart> {
  const app = await startUiApp(dir);
  const groups = lambdaCheckout(T, tx, other);
  await postLambdaGroups(app.url, T, groups);
  const total = Object.values(groups).reduce((n, g) => n + g.length, 0);
  for (let i = 0; i < 120 && app.pipeline.stats().indexed < total; i++)
    await new Promise((r) => setTimeout(r, 250));
  return app;
}

const it = browserTest({ prefix: 'sluice-ui-spans-', app: startWithCheckout, setupTimeoutMs: 120_000 });

describe('invocation waterfall in real Chromium', () => {
  const row = (page: Page, service: string) =>
    page.getByTestId('invocation-row').filter({ hasText: service });

  it('draws one row per invocation with its duration, the cold start and the log-lines fallback', async ({
    app,
    page,
  }) => {
    await page.goto(`${app.url}/trace/${encodeURIComponent(tx)}`);
    await page.getByTestId('waterfall').waitFor();
    const rows = page.getByTestId('invocation-row');
    expect(await rows.count()).toBe(5);
    expect(await page.getByTestId('trace-invocation-count').textContent()).toBe('5');
    // the gateway: START → REPORT, 399.12 ms
    expect(await row(page, 'api-gateway').getByTestId('invocation-duration').textContent()).toBe('399 ms');
    expect(await row(page, 'api-gateway').getAttribute('data-source')).toBe('platform');
    // payments: the corpus REPORT of a cold start (Init Duration 130.49 ms), drawn and labelled
    const pay = row(page, 'payments');
    expect(await pay.getByTestId('invocation-duration').textContent()).toBe('16 ms');
    await expect.poll(() => pay.getByTestId('cold-start').isVisible()).toBe(true);
    expect(await pay.getByTestId('cold-start').getAttribute('title')).toContain('130.49 ms');
    expect(await pay.textContent()).toContain('❄ cold 130 ms');
    expect(await pay.getAttribute('title')).toMatch(/Billed 16 ms[\s\S]*Memory 56 \/ 128 MB/);
    // nested one level under the gateway that was running when it started
    const indent = await pay.locator('.wf-name').evaluate((el) => getComputedStyle(el).paddingLeft);
    expect(indent).toBe('14px');
    // inventory timed out: marked, and opened by default with its lines
    const inv = row(page, 'inventory');
    expect(await inv.getAttribute('data-status')).toBe('timeout');
    expect(await inv.getByTestId('invocation-status').textContent()).toContain('timed out');
    expect(await inv.getAttribute('aria-expanded')).toBe('true');
    // orders wrote only log lines: a first-to-last bar, visibly marked
    const orders = row(page, 'orders');
    expect(await orders.getAttribute('data-source')).toBe('log_lines');
    expect(await orders.getByTestId('from-log-lines').textContent()).toBe('from log lines');
    expect(await page.getByTestId('from-log-lines').count()).toBe(1);
    await page.screenshot({ path: join(SHOTS, 'spans-waterfall.png'), fullPage: true });
  });

  it('opens an invocation to show its log lines nested under it, platform lines included', async ({
    page,
  }) => {
    const pay = row(page, 'payments');
    expect(await pay.getAttribute('aria-expanded')).toBe('false');
    await pay.click();
    await expect.poll(() => pay.getAttribute('aria-expanded')).toBe('true');
    const group = page.locator('.wf-group').filter({ has: pay });
    const lines = group.getByTestId('invocation-line');
    await expect.poll(() => lines.count()).toBe(4);
    const text = (await lines.allTextContents()).join('\n');
    expect(text).toContain(`START RequestId: ${R_PAY}`);
    expect(text).toContain('charging card');
    expect(text).toContain(`REPORT RequestId: ${R_PAY}`);
    expect(await group.getByTestId('invocation-facts').textContent()).toContain(
      'Init 130.49 ms (cold start)',
    );
  });

  it('lists START/END/REPORT in the trace, marked as linked through the request id', async ({ page }) => {
    const steps = page.locator('.steps .step');
    const startStep = steps.filter({ hasText: `START RequestId: ${R_PAY}` });
    expect(await startStep.count()).toBe(1);
    expect(await startStep.getByTestId('linked-badge').textContent()).toBe(
      `via request ${R_PAY.slice(0, 8)}`,
    );
    expect(await steps.filter({ hasText: 'Task timed out after 3.00 seconds' }).count()).toBe(1);
  });

  it('shows the transaction on START/END/REPORT result rows instead of "—", and opens it', async ({
    app,
    page,
  }) => {
    await page.goto(`${app.url}/?q=${encodeURIComponent(`request:${R_PAY}`)}&range=1h`);
    await page.getByTestId('result-row').first().waitFor();
    const rows = page.getByTestId('result-row');
    await expect.poll(() => rows.count()).toBe(4);
    for (const kind of ['START', 'END', 'REPORT']) {
      const r = rows.filter({ hasText: `${kind} RequestId: ${R_PAY}` });
      expect(await r.getByTestId('trace-link').textContent()).toContain(tx.slice(0, 8));
    }
    await page.screenshot({ path: join(SHOTS, 'spans-results.png') });
    // t on a START row opens its transaction too (keyboard)
    await rows
      .filter({ hasText: `START RequestId: ${R_PAY}` })
      .locator('.c-time')
      .click();
    await page.keyboard.press('t');
    await page.getByTestId('trace-view').waitFor();
    expect(await page.getByTestId('trace-id').textContent()).toBe(tx);
    await page.goBack();
    await rows.first().waitFor();
    await rows.filter({ hasText: 'REPORT RequestId' }).getByTestId('trace-link').click();
    await page.getByTestId('trace-view').waitFor();
    expect(await page.getByTestId('trace-id').textContent()).toBe(tx);
  });

  it('draws the service map of the range: services, calls with counts, a click filters on a service', async ({
    app,
    page,
  }) => {
    await page.goto(`${app.url}/?range=1h`);
    await page.getByTestId('result-row').first().waitFor();
    await page.getByTestId('service-map').locator('summary').click();
    await page.getByTestId('map-node').first().waitFor();
    const services = await page
      .getByTestId('map-node')
      .evaluateAll((els) => els.map((e) => e.dataset.service));
    expect(services.sort()).toEqual(['api-gateway', 'batch', 'inventory', 'orders', 'payments']);
    const edges = await page
      .getByTestId('map-edge')
      .evaluateAll((els) =>
        els.map((e) => `${e.dataset.from}>${e.dataset.to}:${e.querySelector('text')?.textContent}`),
      );
    expect(edges.sort()).toEqual([
      'api-gateway>orders:1',
      'orders>batch:1',
      // inventory timed out: its `Task timed out` line (linked through the request id) is an error
      'orders>inventory:1 · 100 % err',
      'orders>payments:1',
    ]);
    // orders sits one column right of the gateway, payments one further
    const x = async (svc: string) =>
      (await page.locator(`[data-testid="map-node"][data-service="${svc}"]`).boundingBox())?.x ?? 0;
    expect(await x('orders')).toBeGreaterThan(await x('api-gateway'));
    expect(await x('payments')).toBeGreaterThan(await x('orders'));
    // loaded once for the range, not again on every render
    let loads = 0;
    const count = (r: { url(): string }) => {
      if (r.url().includes('/api/services')) loads += 1;
    };
    page.on('request', count);
    await page.waitForTimeout(1500);
    page.off('request', count);
    expect(loads).toBe(0);
    await page.screenshot({ path: join(SHOTS, 'spans-service-map.png') });
    await page.locator('[data-testid="map-node"][data-service="payments"]').click();
    await expect.poll(() => new URL(page.url()).searchParams.getAll('f')).toEqual(['service.name:payments']);
  });
});
