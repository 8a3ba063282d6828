import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type BrowserContextOptions, chromium, type Page } from 'playwright-core';
import { test } from 'vitest';
import type { RunningStart } from '../../local/start.js';
import { buildUi } from '../../ui/build.js';
import { startInProcess } from './start-local.js';

/** Debian's Chromium, which the browser tests drive through playwright-core. */
const CHROMIUM = '/usr/bin/chromium';

/** Headless, no sandbox (containers), nothing that talks to the network on its own. */
const CHROMIUM_ARGS: readonly string[] = [
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
function requireChromium(): string {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser tests`,
    );
  }
  return CHROMIUM;
}

/** Chromium with a fresh profile in `profileDir` (launchPersistentContext is how playwright takes --user-data-dir). */
function launchChromium(
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
 * `sluice start` in-process on the data directory `dir` and a free port, with the built UI; with
 * `demo` the demo traffic backfills `demo.backfillMinutes` and this waits until `demo.minIndexed`
 * events are in (or ~30 s have passed).
 */
export async function startUiApp(
  dir: string,
  demo?: { readonly backfillMinutes: number; readonly minIndexed: number },
): Promise<RunningStart> {
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
  return app;
}

/** Types `q` into the explorer's search box and presses Enter, as a user searches. */
export async function search(page: Page, q: string): Promise<void> {
  const box = page.getByLabel('Search query');
  await box.fill(q);
  await box.press('Enter');
}

/** What a browser test file shares between its tests (each set up once per file). */
interface BrowserFixtures {
  /** A fresh temporary directory, removed after the file's last test. */
  readonly dir: string;
  /** The `sluice start` the file's `app` option started in `dir`, stopped after the file's last test. */
  readonly app: RunningStart;
  /** Chromium with a fresh profile under `dir` (a context: `browser.newPage()` opens another tab). */
  readonly browser: BrowserContext;
  /** The tab the file's tests share, in order. */
  readonly page: Page;
}

/** How a browser test file sets up its fixtures. */
interface BrowserTestOptions {
  /** Prefix of the temporary directory's name. */
  readonly prefix: string;
  /** How the file starts its `app` in `dir` (none: a file that asks for `app` fails). */
  readonly app?: (dir: string) => Promise<RunningStart>;
  /** Options of Chromium's context, and extra command-line arguments. */
  readonly chromium?: BrowserContextOptions & { extraArgs?: readonly string[] };
  /** How long starting the app and Chromium may take (the hook timeout of the config by default). */
  readonly setupTimeoutMs?: number;
}

/**
 * vitest's `test` with the browser fixtures of one file (`dir`, `app`, `browser`, `page`), set up
 * before the file's first test (in a `beforeAll`, so with a hook's timeout) and torn down in the
 * reverse order after its last: the page's tab and Chromium first, then the app, then the
 * directory. Call it once at the top of a test file: `const it = browserTest({...})`.
 */
export function browserTest(opts: BrowserTestOptions) {
  const it = test.extend<{ $file: BrowserFixtures }>({
    dir: [
      // biome-ignore lint/correctness/noEmptyPattern: vitest reads which fixtures a fixture uses from this pattern
      async ({}, use) => {
        requireChromium();
        const dir = mkdtempSync(join(tmpdir(), opts.prefix));
        try {
          await use(dir);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      },
      { scope: 'file' },
    ],
    app: [
      async ({ dir }, use) => {
        if (!opts.app) throw new Error('this browser test starts no app: give browserTest an `app` option');
        const app = await opts.app(dir);
        try {
          await use(app);
        } finally {
          await app.stop();
        }
      },
      { scope: 'file' },
    ],
    browser: [
      async ({ dir }, use) => {
        const browser = await launchChromium(join(dir, 'chromium-profile'), opts.chromium);
        try {
          await use(browser);
        } finally {
          await browser.close();
        }
      },
      { scope: 'file' },
    ],
    page: [async ({ browser }, use) => use(await browser.newPage()), { scope: 'file' }],
  });
  // Started before the first test, the app before Chromium (torn down in the reverse order).
  if (opts.app) it.beforeAll(async ({ app, browser }) => void [app, browser], opts.setupTimeoutMs);
  else it.beforeAll(async ({ browser }) => void browser, opts.setupTimeoutMs);
  return it;
}
