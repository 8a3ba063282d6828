import type { CloudFormationCustomResourceEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, osJson } from '../../test/factories/opensearch.js';
import { handler } from './handler.js';

const node = inject('opensearchUrl');
const prefix = uniqueSegment('iac-setup-');

/** A CloudFormation Create of the setup resource, with every scalar as a string (as CloudFormation sends it). */
function createEvent(lifecycle: Record<string, string>): CloudFormationCustomResourceEvent {
  return {
    RequestType: 'Create',
    ResourceType: 'Custom::SluiceOpenSearchSetup',
    ResourceProperties: {
      ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x',
      indexPrefix: prefix,
      lifecycle,
    },
    ServiceToken: 'arn:aws:lambda:us-east-1:123456789012:function:x',
    ResponseURL: 'https://example.com',
    StackId: 'arn:aws:cloudformation:us-east-1:123456789012:stack/s/1',
    RequestId: 'r',
    LogicalResourceId: 'IndexSetup',
  } as CloudFormationCustomResourceEvent;
}

describe('deploy-time index setup handler (real node)', () => {
  const saved = { ...process.env };
  beforeAll(() => {
    // The handler signs with SigV4 as the Lambda would; the local node ignores the signature.
    Object.assign(process.env, {
      SLUICE_OPENSEARCH_ENDPOINT: node,
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
  });
  afterAll(async () => {
    process.env = saved;
    await dropPrefix(node, prefix);
  });

  it('installs the templates with the deployed index settings through setupOpenSearch', async () => {
    const res = await handler(
      createEvent({
        shards: '2',
        replicas: '0',
        rollover_min_size: '5gb',
        rollover_min_age: '1d',
        retention_days: '14',
      }),
    );
    expect(res).toEqual({
      PhysicalResourceId: 'sluice-opensearch-setup',
      // The local node has no ISM plugin; Amazon OpenSearch Service does and gets the policy.
      Data: { policy: `${prefix}-policy`, ism: 'skipped' },
    });
    const settings = await osJson<{
      component_templates: {
        component_template: { template: { settings: { index: Record<string, string> } } };
      }[];
    }>(`${node}/_component_template/${prefix}-settings`);
    expect(settings.component_templates[0]?.component_template.template.settings.index).toMatchObject({
      number_of_shards: '2',
      number_of_replicas: '0',
    });
    const template = await osJson<{ index_templates: { name: string }[] }>(
      `${node}/_index_template/${prefix}-template`,
    );
    expect(template.index_templates.map((t) => t.name)).toEqual([`${prefix}-template`]);
  });

  it('refuses a lifecycle the sink config rejects, failing the deployment', async () => {
    await expect(handler(createEvent({ retention_days: 'soon' }))).rejects.toThrow(/retention_days/);
  });
});
