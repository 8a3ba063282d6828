import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningStart } from '../local/start.js';
import { launchChromium, startUiApp } from '../test/e2e/browser.js';

describe('a malformed query in real Chromium', () => {
  let dir: string;
  let app: RunningStart;
  let browser: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    ({ dir, app } = await startUiApp('sluice-query-ui-', { backfillMinutes: 2, minIndexed: 500 }));
    browser = await launchChromium(join(dir, 'chromium-profile'), { viewport: { width: 1280, height: 800 } });
    page = await browser.newPage();
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const search = async (q: string): Promise<void> => {
    const input = page.getByLabel('Search query');
    await input.fill(q);
    await input.press('Enter');
  };

  it('marks the unknown field, shows no stale results, and applies the suggestion', async () => {
    await page.goto(app.url);
    await page.getByTestId('result-row').first().waitFor();
    await search('level:info service.nam:orders');
    await page.getByTestId('query-error').waitFor();
    expect(await page.getByTestId('query-error-mark').textContent()).toBe('service.nam');
    const text = await page.getByTestId('query-error').textContent();
    expect(text).toContain('character 12');
    expect(text).toContain('Did you mean service.name?');
    // The previous query's results are gone, not shown under the error.
    expect(await page.getByTestId('result-row').count()).toBe(0);
    expect(await page.getByTestId('total').count()).toBe(0);

    await page.getByTestId('query-error').getByRole('button', { name: 'service.name', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Search query').inputValue())
      .toBe('level:info service.name:orders');
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('query-error').count()).toBe(0);
    const rows = await page.getByTestId('result-row').allTextContents();
    expect(rows.every((r) => r.includes('orders'))).toBe(true);
  });

  it.each([
    ['level:error)', 11, ')'],
    ['level:(', 6, '('],
    ['a OR', 2, 'OR'],
  ])('puts the caret under the problem in %s', async (q, position, marked) => {
    await search(q);
    await expect.poll(() => page.getByTestId('query-error-mark').textContent()).toBe(marked);
    expect(await page.getByTestId('query-error').textContent()).toContain(`character ${position + 1}`);
    expect(await page.getByTestId('result-row').count()).toBe(0);
  });

  it('clears the error once the query reads', async () => {
    await search('@timestamp>now-5m (level:info OR level:warn)');
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('query-error').count()).toBe(0);
  });
});
