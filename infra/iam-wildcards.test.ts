import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../test/factories/infra.js';

type Statement = { Action?: string | string[]; NotAction?: unknown; Effect?: string };

/** Every policy statement in the template: identity policies, inline role policies, resource policies. */
function statements(template: Record<string, unknown>): { where: string; statement: Statement }[] {
  const out: { where: string; statement: Statement }[] = [];
  const resources = (template['Resources'] ?? {}) as Record<
    string,
    { Type: string; Properties?: Record<string, unknown> }
  >;
  const docsOf = (type: string, p: Record<string, unknown>): unknown[] => {
    switch (type) {
      case 'AWS::IAM::Policy':
      case 'AWS::IAM::ManagedPolicy':
        return [p['PolicyDocument']];
      case 'AWS::IAM::Role':
        return [
          p['AssumeRolePolicyDocument'],
          ...((p['Policies'] as { PolicyDocument: unknown }[] | undefined) ?? []).map(
            (x) => x.PolicyDocument,
          ),
        ];
      case 'AWS::KMS::Key':
        return [p['KeyPolicy']];
      case 'AWS::S3::BucketPolicy':
      case 'AWS::SQS::QueuePolicy':
      case 'AWS::SNS::TopicPolicy':
        return [p['PolicyDocument']];
      case 'AWS::OpenSearchService::Domain':
        return [p['AccessPolicies']];
      default:
        return [];
    }
  };
  for (const [id, r] of Object.entries(resources)) {
    for (const doc of docsOf(r.Type, r.Properties ?? {})) {
      const list = (doc as { Statement?: Statement[] } | undefined)?.Statement ?? [];
      for (const statement of list) out.push({ where: `${id} (${r.Type})`, statement });
    }
  }
  return out;
}

describe('IAM on the pipeline’s own resources', { timeout: 120_000 }, () => {
  it.each([
    ['default', testConfig()],
    [
      'sqs dead letters, s3 on-failure, VPC',
      testConfig({
        dead_letters: { store: 'sqs' },
        functions: { on_failure: 's3' },
        opensearch: { mode: 'domain', vpc: { mode: 'create' } },
      }),
    ],
  ])('grants no wildcard action in any Allow statement (%s)', (_n, config) => {
    const template = Template.fromStack(buildStack(config)).toJSON();
    const all = statements(template);
    expect(all.length).toBeGreaterThan(20);
    const offenders = all
      .filter(({ statement }) => statement.Effect === 'Allow')
      .flatMap(({ where, statement }) =>
        [statement.Action ?? []]
          .flat()
          .filter((a) => a.includes('*'))
          .map((a) => `${where}: ${a}`),
      );
    expect(offenders).toEqual([]);
  });

  it('the walker finds a wildcard action when one is present', () => {
    const stack = buildStack();
    stack.functions.sink.role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['s3:Get*'], resources: ['*'] }),
    );
    const found = statements(Template.fromStack(stack).toJSON()).filter((s) =>
      [s.statement.Action ?? []].flat().includes('s3:Get*'),
    );
    expect(found).toHaveLength(1);
  });
});
