import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { SERVICE_ERROR, ServiceError } from './errors.js';
import { cacheDir, requireTool, run, tail } from './tools.js';

const PY_HINT = 'apt-get install python3 python3-venv';

/**
 * The infrastructure scanners, pinned so every run judges the templates by the same rules
 * (raise them deliberately, then review the allowlist).
 */
export const IAC_SCANNERS = { 'cfn-lint': '1.58.0', checkov: '3.3.30' } as const;

/** Paths of the installed scanners. */
export interface IacScanners {
  readonly cfnLint: string;
  readonly checkov: string;
}

/**
 * Makes sure cfn-lint and checkov (PyPI) are installed in the venv `<cache>/iac-<versions>`
 * (created with `python3 -m venv` and pip on first use, like the moto venv). Returns their paths.
 */
export async function ensureIacScannersInstalled(): Promise<IacScanners> {
  const tag = Object.values(IAC_SCANNERS).join('-');
  const venv = path.join(cacheDir(), `iac-${tag}`);
  const tools = { cfnLint: path.join(venv, 'bin', 'cfn-lint'), checkov: path.join(venv, 'bin', 'checkov') };
  if (existsSync(tools.cfnLint) && existsSync(tools.checkov)) return tools;
  await requireTool('python3', ['--version'], PY_HINT);
  await mkdir(cacheDir(), { recursive: true });
  const mk = await run('python3', ['-m', 'venv', venv], { installHint: PY_HINT });
  if (mk.code !== 0) {
    await rm(venv, { recursive: true, force: true });
    throw new ServiceError(
      SERVICE_ERROR.installFailed,
      `'python3 -m venv' failed (exit ${mk.code}); install the venv module (${PY_HINT}): ${tail(mk.stderr)}`,
    );
  }
  const specs = Object.entries(IAC_SCANNERS).map(([name, version]) => `${name}==${version}`);
  const pip = await run(path.join(venv, 'bin', 'pip'), ['install', '-q', ...specs], { installHint: PY_HINT });
  if (pip.code !== 0 || !existsSync(tools.cfnLint) || !existsSync(tools.checkov)) {
    await rm(venv, { recursive: true, force: true });
    throw new ServiceError(
      SERVICE_ERROR.installFailed,
      `pip install ${specs.join(' ')} from PyPI failed (exit ${pip.code}): ${tail(pip.stdout + pip.stderr)}`,
    );
  }
  return tools;
}
