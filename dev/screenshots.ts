// Regenerates the screenshots of docs/start.md from the real app: runs `sluice start` (demo data) in a
// temporary folder, drives Debian's Chromium with playwright-core, writes docs/img/start-*.png.
//
//   npm run dev:screenshots            (needs /usr/bin/chromium, or CHROMIUM=/path/to/chrome)

import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Page } from 'playwright-core';
import { explorerUrl, spawnStart, stopStart } from '../test/e2e/start-process.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'img');
const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';

async function start(dataDir: string, port = 0): Promise<{ child: ChildProcess; url: string }> {
  const child = spawnStart(['--port', String(port), '--data-dir', dataDir, '--quiet'], dataDir);
  return { child, url: await explorerUrl(child) };
}

const stop = stopStart;

async function shot(page: Page, name: string, height?: number): Promise<void> {
  const path = join(out, `start-${name}.png`);
  const width = page.viewportSize()!.width;
  // cut to what the picture is about, to keep the PNGs small
  await page.screenshot({
    path,
    animations: 'disabled',
    clip: height ? { x: 0, y: 0, width, height } : undefined,
  });
  console.log(`${path} (${Math.round(statSync(path).size / 1024)} KiB)`);
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const dataDir = mkdtempSync(join(tmpdir(), 'sluice-shots-'));
  let { child, url } = await start(dataDir);
  const browser = await chromium.launch({
    executablePath,
    args: ['--headless', '--no-sandbox', '--disable-gpu'],
  });
  try {
    // the demo backfills ten minutes of traffic at start
    for (let i = 0; i < 600; i++) {
      const s = (await (await fetch(`${url}/api/stats`)).json()) as { indexed: number };
      if (s.indexed > 3000) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const context = await browser.newContext({ viewport: { width: 1200, height: 760 }, timezoneId: 'UTC' });
    const page = await context.newPage();
    const rows = page.getByTestId('result-row');

    await page.goto(url);
    await rows.first().waitFor();
    await page.locator('[data-testid="histogram"] canvas').first().waitFor();
    // the field list loads after the results: wait for it, so the picture shows the whole page
    await page.getByTestId('field-sample').waitFor();
    await page.mouse.move(0, 0);
    await shot(page, 'search');

    await page.getByLabel('Search query').fill('level:error');
    await page.getByLabel('Search query').press('Enter');
    await page.waitForFunction(() =>
      [...document.querySelectorAll('[data-testid="result-row"]')].every((r) =>
        r.textContent?.includes('error'),
      ),
    );
    await shot(page, 'errors');

    await page.getByTestId('trace-link').first().click();
    await page.getByTestId('trace-view').waitFor();
    await shot(page, 'trace');
    await page.keyboard.press('Escape');
    await rows.first().waitFor();

    await page.getByTestId('range-button').click();
    await page.getByLabel('Relative range').fill('last 4 hours');
    await shot(page, 'range', 440);
    await page.keyboard.press('Escape');

    await page.getByLabel('Search query').fill('');
    await page.getByLabel('Search query').press('Enter');
    await page.getByRole('button', { name: /Live/ }).click();
    const box = await rows.nth(3).boundingBox();
    await page.mouse.move(box!.x + 200, box!.y + 5);
    await page.waitForFunction(
      () => /[1-9]\d* new/.test(document.querySelector('.paused')?.textContent ?? ''),
      {
        timeout: 20_000,
      },
    );
    await shot(page, 'live-paused');
    await page.mouse.move(0, 0);
    await page.evaluate(() => window.scrollTo(0, 0));

    await page.setViewportSize({ width: 1200, height: 420 });
    await stop(child);
    await page.getByTestId('disconnected').waitFor({ timeout: 15_000 });
    await shot(page, 'disconnected');
    ({ child, url } = await start(dataDir, Number(new URL(url).port)));
    await page.getByTestId('disconnected').waitFor({ state: 'detached', timeout: 20_000 });

    const phone = await context.newPage();
    await phone.setViewportSize({ width: 390, height: 760 });
    await phone.goto(`${url}/?q=level:warn,error`);
    await phone.getByTestId('result-row').first().waitFor();
    await shot(phone, 'phone');
  } finally {
    await browser.close();
    await stop(child);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

await main();
