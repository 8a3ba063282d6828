import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium } from 'playwright-core';
import type { RunningStart } from '../../local/start.js';
import { buildUi } from '../../ui/build.js';
import { startInProcess } from './start-local.js';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
export const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), nothing that talks to the network on its own. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable, or an error that says how to install it. */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`,
    );
  }
  return CHROMIUM;
}

/** Chromium with a fresh profile in `profileDir` (launchPersistentContext is how playwright takes --user-data-dir). */
export function launchChromium(
  profileDir: string,
  opts: BrowserContextOptions & { extraArgs?: readonly string[] } = {},
): Promise<BrowserContext> {
  const { extraArgs = [], ...context } = opts;
  return chromium.launchPersistentContext(profileDir, {
    executablePath: requireChromium(),
    args: [...CHROMIUM_ARGS, ...extraArgs],
    viewport: { width: 1440, height: 900 },
    ...context,
  });
}

/**
 * `sluice start` in-process on a fresh data directory and a free port, with the built UI; with
 * `demo` the demo traffic backfills `demo.backfillMinutes` and this waits until `demo.minIndexed`
 * events are in (or ~30 s have passed).
 */
export async function startUiApp(
  prefix: string,
  demo?: { readonly backfillMinutes: number; readonly minIndexed: number },
): Promise<{ dir: string; app: RunningStart }> {
  requireChromium();
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const app = await startInProcess(
    dir,
    {
      sources: {
        demo: demo
          ? { enabled: true, rate_per_second: 2, backfill_minutes: demo.backfillMinutes }
          : { enabled: false },
      },
    },
    { ui: await buildUi() },
  );
  for (let i = 0; demo && i < 300 && app.pipeline.stats().indexed < demo.minIndexed; i++)
    await new Promise((r) => setTimeout(r, 100));
  return { dir, app };
}
