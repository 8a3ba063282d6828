import path from 'node:path';
import { ensurePythonVenv } from './python-venv.js';
import { cacheDir } from './tools.js';

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
  const specs = Object.entries(IAC_SCANNERS).map(([name, version]) => `${name}==${version}`);
  await ensurePythonVenv(venv, specs, [tools.cfnLint, tools.checkov]);
  return tools;
}
