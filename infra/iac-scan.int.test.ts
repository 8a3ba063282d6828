/**
 * cfn-lint and checkov (PyPI, pinned, installed in a cached venv like moto) over the template of
 * every documented config variant, synthesized with the app's own cdk.json context. A finding
 * fails the test unless `infra/iac-allowlist.yaml` names its tool, check and resource with a
 * reason; an allowlist entry that no longer matches anything fails it too.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { z } from 'zod';
import { ensureIacScannersInstalled } from '../test/services/iac-scanners.js';
import { run } from '../test/services/tools.js';
import { loadInfraConfig } from './config/load.js';
import { inlineFunction, REPO_ROOT } from './constructs/code.js';
import { SluiceStack } from './stack.js';

const PIP = 'python3 -m venv (see test/services/iac-scanners.ts)';

/** One finding of either scanner, on one resource of one variant's template. */
interface Finding {
  readonly tool: 'cfn-lint' | 'checkov';
  readonly check: string;
  readonly resource: string;
  readonly variant: string;
  readonly message: string;
}

const AllowlistSchema = z.array(
  z.strictObject({
    tool: z.enum(['cfn-lint', 'checkov']),
    check: z.string().regex(/^(CKV2?_AWS_\d+|[EWI]\d{4})$/),
    resources: z.array(z.string().regex(/^[A-Za-z0-9*]+$/)).min(1),
    reason: z.string().min(40),
  }),
);
type AllowEntry = z.infer<typeof AllowlistSchema>[number];

/** `*` matches any run of characters in a logical id (CDK appends hashes). */
const globMatches = (glob: string, id: string): boolean =>
  new RegExp(
    `^${glob
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  ).test(id);
const allows = (e: AllowEntry, f: Finding) =>
  e.tool === f.tool && e.check === f.check && e.resources.some((g) => globMatches(g, f.resource));

/** The documented variants: example.yaml and every file in infra/config/variants/ (docs/deploy.md). */
function variants(): [string, string][] {
  const dir = join(REPO_ROOT, 'infra/config/variants');
  return [
    ['example', join(REPO_ROOT, 'infra/config/example.yaml')],
    ...readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f): [string, string] => [f.replace(/\.yaml$/, ''), join(dir, f)]),
  ];
}

function cfnLintFindings(stdout: string, variantOf: (file: string) => string): Finding[] {
  const results = JSON.parse(stdout || '[]') as {
    Rule: { Id: string };
    Message: string;
    Filename: string;
    Location: { Path: (string | number)[] };
  }[];
  return results.map((r) => ({
    tool: 'cfn-lint',
    check: r.Rule.Id,
    resource: r.Location.Path[0] === 'Resources' ? String(r.Location.Path[1]) : '(template)',
    variant: variantOf(r.Filename),
    message: r.Message.slice(0, 160),
  }));
}

function checkovFindings(stdout: string, variantOf: (file: string) => string): Finding[] {
  const parsed = JSON.parse(stdout) as unknown;
  const reports = (Array.isArray(parsed) ? parsed : [parsed]) as {
    results?: {
      failed_checks?: { check_id: string; check_name: string; resource: string; file_path: string }[];
    };
  }[];
  return reports.flatMap((r) =>
    (r.results?.failed_checks ?? []).map((c) => ({
      tool: 'checkov' as const,
      check: c.check_id,
      resource: c.resource.split('.').slice(1).join('.'),
      variant: variantOf(c.file_path),
      message: c.check_name,
    })),
  );
}

describe('cfn-lint and checkov over every documented config variant', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-iac-'));
  const scanDir = join(dir, 'templates');
  let findings: Finding[] = [];
  const allowlist = AllowlistSchema.parse(
    parse(readFileSync(join(REPO_ROOT, 'infra/iac-allowlist.yaml'), 'utf8')),
  );
  const context = (
    JSON.parse(readFileSync(join(REPO_ROOT, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }
  ).context;

  beforeAll(async () => {
    const scanners = await ensureIacScannersInstalled();
    // One folder of templates only (checkov must not wander into asset folders).
    mkdirSync(scanDir);
    const files = variants().map(([name, path]) => {
      const app = new App({ outdir: join(dir, 'cdk.out', name), context });
      const stack = new SluiceStack(app, 'Sluice', {
        config: loadInfraConfig(path),
        makeFunction: inlineFunction,
        env: { account: '123456789012', region: 'us-east-1' },
      });
      const file = join(scanDir, `${name}.template.json`);
      writeFileSync(file, JSON.stringify(app.synth().getStackArtifact(stack.artifactId).template));
      return file;
    });
    const variantOf = (file: string) => basename(file).replace(/\.template\.json$/, '');
    const lint = await run(scanners.cfnLint, ['--format', 'json', '--', ...files], { installHint: PIP });
    if (lint.code !== 0 && lint.stdout.trim() === '') throw new Error(`cfn-lint failed: ${lint.stderr}`);
    const checkov = await run(
      scanners.checkov,
      [
        '-d',
        scanDir,
        '--framework',
        'cloudformation',
        '-o',
        'json',
        '--quiet',
        '--compact',
        '--skip-download',
      ],
      { installHint: PIP },
    );
    if (checkov.stdout.trim() === '') throw new Error(`checkov failed: ${checkov.stderr}`);
    findings = [...cfnLintFindings(lint.stdout, variantOf), ...checkovFindings(checkov.stdout, variantOf)];
  }, 900_000);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scans a template of every variant', () => {
    expect(readdirSync(scanDir).sort()).toEqual(
      variants()
        .map(([n]) => `${n}.template.json`)
        .sort(),
    );
  });

  it('finds nothing the allowlist does not name with a reason', () => {
    const unexplained = findings
      .filter((f) => !allowlist.some((e) => allows(e, f)))
      .map((f) => `${f.tool} ${f.check} ${f.resource} (${f.variant}): ${f.message}`);
    expect(unexplained).toEqual([]);
  });

  it('has no allowlist entry that matches nothing (stale acknowledgements)', () => {
    const stale = allowlist
      .flatMap((e) => e.resources.map((g) => ({ ...e, resources: [g] })))
      .filter((e) => !findings.some((f) => allows(e, f)))
      .map((e) => `${e.tool} ${e.check} ${e.resources[0]}`);
    expect(stale).toEqual([]);
  });
});
