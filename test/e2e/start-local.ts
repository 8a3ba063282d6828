import { PassThrough } from 'node:stream';
import { validateStartConfig } from '../../local/config.js';
import { type RunningStart, type StartDeps, startLocal } from '../../local/start.js';

/** The UI a test that opens no browser serves. */
export const NO_UI = { html: '', js: '', css: '' };

/**
 * `sluice start` in this process for a test: `config` checked as a start config (on an ephemeral
 * port unless it says otherwise) over the data dir `dir`, with no environment, no stdin, no log and
 * no UI unless `deps` gives them.
 */
export async function startInProcess(
  dir: string,
  config: Record<string, unknown>,
  deps: Partial<StartDeps> = {},
): Promise<RunningStart> {
  const cfg = validateStartConfig({ data_dir: dir, http: { port: 0 }, ...config }, 'test');
  return startLocal(cfg, { cwd: dir, env: {}, stdin: new PassThrough(), ui: NO_UI, log: () => {}, ...deps });
}
