import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_ERROR, ServiceError } from './errors.js';
import { requireTool, run, tail } from './tools.js';

const PY_HINT = 'apt-get install python3 python3-venv';

/**
 * Makes sure the Python venv `venv` holds `packages` from PyPI: when any of the files `installed`
 * (what the packages put there) is missing, creates the venv with `python3 -m venv` and installs
 * them with pip. A step that fails removes the venv (the next run starts clean) and throws a
 * {@link ServiceError} that says what failed and what to install.
 */
export async function ensurePythonVenv(
  venv: string,
  packages: readonly string[],
  installed: readonly string[],
): Promise<void> {
  if (installed.every((file) => existsSync(file))) return;
  await requireTool('python3', ['--version'], PY_HINT);
  await mkdir(path.dirname(venv), { recursive: true });
  const mk = await run('python3', ['-m', 'venv', venv], { installHint: PY_HINT });
  if (mk.code !== 0) {
    await rm(venv, { recursive: true, force: true });
    throw new ServiceError(
      SERVICE_ERROR.installFailed,
      `'python3 -m venv' failed (exit ${mk.code}); install the venv module (${PY_HINT}): ${tail(mk.stderr)}`,
    );
  }
  const pip = await run(path.join(venv, 'bin', 'pip'), ['install', '-q', ...packages], {
    installHint: PY_HINT,
  });
  if (pip.code !== 0 || !installed.every((file) => existsSync(file))) {
    await rm(venv, { recursive: true, force: true });
    throw new ServiceError(
      SERVICE_ERROR.installFailed,
      `pip install ${packages.join(' ')} from PyPI failed (exit ${pip.code}): ${tail(pip.stdout + pip.stderr)}`,
    );
  }
}
