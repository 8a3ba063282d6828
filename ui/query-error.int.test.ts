import { describe, expect } from 'vitest';
import { browserTest, search, startUiApp } from '../test/e2e/browser.js';

const it = browserTest({
  prefix: 'sluice-query-ui-',
  app: (dir) => startUiApp(dir, { backfillMinutes: 2, minIndexed: 500 }),
  chromium: { viewport: { width: 1280, height: 800 } },
});

describe('a malformed query in real Chromium', () => {
  it('marks the unknown field, shows no stale results, and applies the suggestion', async ({ app, page }) => {
    await page.goto(app.url);
    await page.getByTestId('result-row').first().waitFor();
    await search(page, 'level:info service.nam:orders');
    await page.getByTestId('query-error').waitFor();
    expect(await page.getByTestId('query-error-mark').textContent()).toBe('service.nam');
    const text = await page.getByTestId('query-error').textContent();
    expect(text).toContain('character 12');
    expect(text).toContain('Did you mean service.name?');
    // The previous query's results are gone, not shown under the error.
    await expect.poll(() => page.getByTestId('result-row').count()).toBe(0);
    await expect.poll(() => page.getByTestId('total').count()).toBe(0);

    await page.getByTestId('query-error').getByRole('button', { name: 'service.name', exact: true }).click();
    await expect
      .poll(() => page.getByLabel('Search query').inputValue())
      .toBe('level:info service.name:orders');
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('query-error').count()).toBe(0);
    const rows = await page.getByTestId('result-row').allTextContents();
    expect(rows.every((r) => r.includes('orders'))).toBe(true);
  });

  it.for([
    ['level:error)', 11, ')'],
    ['level:(', 6, '('],
    ['a OR', 2, 'OR'],
  ] as const)('puts the caret under the problem in %s', async ([q, position, marked], { page }) => {
    await search(page, q);
    await expect.poll(() => page.getByTestId('query-error-mark').textContent()).toBe(marked);
    expect(await page.getByTestId('query-error').textContent()).toContain(`character ${position + 1}`);
    await expect.poll(() => page.getByTestId('result-row').count()).toBe(0);
  });

  it('clears the error once the query reads', async ({ page }) => {
    await search(page, '@timestamp>now-5m (level:info OR level:warn)');
    await page.getByTestId('result-row').first().waitFor();
    expect(await page.getByTestId('query-error').count()).toBe(0);
  });
});
