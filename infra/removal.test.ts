import { Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../test/factories/infra.js';

type Resource = { Type: string; DeletionPolicy?: string; Properties?: Record<string, unknown> };

/** Deletion policy per resource type (one value when every resource of the type agrees). */
function deletionPolicies(t: Template, types: readonly string[]): Record<string, string[]> {
  const resources = Object.values(t.toJSON()['Resources'] as Record<string, Resource>);
  return Object.fromEntries(
    types.map((type) => [
      type,
      [...new Set(resources.filter((r) => r.Type === type).map((r) => r.DeletionPolicy ?? 'Delete'))],
    ]),
  );
}

const STATEFUL = ['AWS::OpenSearchService::Domain', 'AWS::S3::Bucket', 'AWS::SQS::Queue', 'AWS::KMS::Key'];

describe('removal policies and termination protection', { timeout: 120_000 }, () => {
  let production: ReturnType<typeof buildStack>;
  let dev: ReturnType<typeof buildStack>;
  beforeAll(() => {
    production = buildStack(testConfig({ dead_letters: { store: 'sqs' } }));
    dev = buildStack(testConfig({ profile: 'dev', dead_letters: { store: 'sqs' } }));
  }, 120_000);

  it('production retains everything that holds data, and protects the stack from deletion', () => {
    expect(deletionPolicies(Template.fromStack(production), STATEFUL)).toEqual(
      Object.fromEntries(STATEFUL.map((type) => [type, ['Retain']])),
    );
    expect(production.terminationProtection).toBe(true);
  });

  it('dev deletes it all cleanly: buckets are emptied first, no termination protection', () => {
    const t = Template.fromStack(dev);
    expect(deletionPolicies(t, STATEFUL)).toEqual(
      Object.fromEntries(STATEFUL.map((type) => [type, ['Delete']])),
    );
    t.resourceCountIs('Custom::S3AutoDeleteObjects', 2);
    expect(dev.terminationProtection).toBe(false);
  });

  it('always deletes the named streams, so a redeploy under the same name cannot collide', () => {
    for (const stack of [production, dev]) {
      expect(deletionPolicies(Template.fromStack(stack), ['AWS::Kinesis::Stream'])).toEqual({
        'AWS::Kinesis::Stream': ['Delete'],
      });
    }
  });

  it('honours an explicit removal and termination_protection over the profile', () => {
    const s = buildStack(testConfig({ removal: 'destroy', termination_protection: false }));
    expect(deletionPolicies(Template.fromStack(s), ['AWS::OpenSearchService::Domain'])).toEqual({
      'AWS::OpenSearchService::Domain': ['Delete'],
    });
    expect(s.terminationProtection).toBe(false);
  });

  it('versions the access-log bucket as well as the dead-letter bucket', () => {
    const buckets = Object.values(
      Template.fromStack(production).findResources('AWS::S3::Bucket'),
    ) as Resource[];
    expect(buckets).toHaveLength(2);
    for (const b of buckets) expect(b.Properties?.['VersioningConfiguration']).toEqual({ Status: 'Enabled' });
  });
});
