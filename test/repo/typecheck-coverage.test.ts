import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The files `tsc -p tsconfig.json` compiles, relative to the repository root. */
function compiledFiles(): Set<string> {
  const configPath = path.join(root, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, root, undefined, configPath);
  return new Set(parsed.fileNames.map((f) => path.relative(root, f).split(path.sep).join('/')));
}

/** Every TypeScript source git tracks (or would add: untracked files not ignored). */
function trackedSources(): string[] {
  const out = execFileSync(
    'git',
    ['ls-files', '--cached', '--others', '--exclude-standard', '--', '*.ts', '*.tsx', '*.mts', '*.cts'],
    { cwd: root, encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter((f) => f !== '')
    .filter((f) => ts.sys.fileExists(path.join(root, f)));
}

describe('tsconfig.json', () => {
  it('type-checks every TypeScript file in the repository', () => {
    const compiled = compiledFiles();
    const sources = trackedSources();
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.filter((f) => !compiled.has(f))).toEqual([]);
  });
});
