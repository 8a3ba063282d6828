import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { afterAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../test/factories/infra.js';
import type { SluiceInfraConfig } from './config/schema.js';

interface Violation {
  ruleName: string;
  severity: string;
  violatingResources: { constructPath: string }[];
}

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Synthesizes with AwsSolutionsChecks and returns the unacknowledged findings and the tree. */
function nagFindings(config: SluiceInfraConfig): {
  violations: Violation[];
  acknowledgements: { id: string; reason: string }[];
} {
  const outdir = mkdtempSync(join(tmpdir(), 'sluice-nag-'));
  dirs.push(outdir);
  const app = new App({ outdir, context: { '@aws-cdk/core:validationReportJson': true } });
  buildStack(config, app);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { writeSuppressionsToCloudFormation: true }));
  try {
    app.synth();
  } catch {
    // A failed validation still writes the report, read below.
  }
  const report = JSON.parse(readFileSync(join(outdir, 'policy-validation-report.json'), 'utf8')) as {
    pluginReports: { violations: Violation[] }[];
  };
  const template = JSON.parse(readFileSync(join(outdir, 'SluiceTest.template.json'), 'utf8')) as {
    Resources: Record<
      string,
      { Metadata?: { cdk_nag?: { rules_to_suppress?: { id: string; reason: string }[] } } }
    >;
  };
  const acknowledgements = Object.values(template.Resources).flatMap(
    (r) => r.Metadata?.cdk_nag?.rules_to_suppress ?? [],
  );
  return { violations: report.pluginReports.flatMap((r) => r.violations), acknowledgements };
}

const describeViolations = (vs: Violation[]) =>
  vs.map((v) => `${v.ruleName} @ ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['an owned public domain with every feature on', testConfig()],
    [
      'an owned domain in a new VPC, SQS dead letters, S3 on-failure, account policy',
      testConfig({
        opensearch: { mode: 'domain', dedicated_master_type: 'm7g.large.search', vpc: { mode: 'create' } },
        dead_letters: { store: 'sqs' },
        functions: { on_failure: 's3' },
        subscription: { mode: 'account_policy', exclude: ['/aws/lambda/noisy'] },
      }),
    ],
    ['the dev profile (one node, deleted with the stack)', testConfig({ profile: 'dev' })],
    [
      'an existing endpoint, provisioned streams',
      testConfig({
        opensearch: {
          mode: 'existing',
          endpoint: 'https://search-logs-abc.us-east-1.es.amazonaws.com',
          domain_arn: 'arn:aws:es:us-east-1:123456789012:domain/logs',
        },
        streams: { mode: 'provisioned', raw_shards: 4, events_shards: 2 },
      }),
    ],
  ])('has no unacknowledged error for %s', { timeout: 120_000 }, (_name, config) => {
    const { violations, acknowledgements } = nagFindings(config);
    expect(describeViolations(violations.filter((v) => v.severity === 'error'))).toEqual([]);
    expect(acknowledgements.length).toBeGreaterThan(0);
    for (const a of acknowledgements) expect(a.reason, a.id).toMatch(/^\S.{30,}/);
  });
});
