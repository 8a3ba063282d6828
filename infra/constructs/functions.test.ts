import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSinkConfig, loadTransformConfig } from '../../lambda/config.js';
import { buildStack, testConfig } from '../../test/factories/infra.js';
import { AUTO_SUBSCRIBER_CONCURRENCY } from './subscription.js';

type Props = Record<string, unknown>;
const byDescription = (t: Template, prefix: string): Props => {
  const found = Object.values(
    t.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(`^${prefix}`) },
    }),
  );
  expect(found).toHaveLength(1);
  return (found[0] as { Properties: Props }).Properties;
};

describe('SluiceFunctions', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(
      buildStack(
        testConfig({
          functions: {
            runtime: 'nodejs24.x',
            transform: { memory_mb: 1024, timeout_s: 90, transaction_id_fields: ['orderId', 'requestId'] },
            sink: {
              retry_attempts: 5,
              max_record_age_s: 7200,
              parallelization_factor: 4,
              retry_budget_ms: 30000,
            },
          },
        }),
      ),
    );
  }, 120_000);

  it('runs both handlers on arm64 Node with memory and timeout from config', () => {
    expect(byDescription(t, 'Sluice transform')).toMatchObject({
      Architectures: ['arm64'],
      Runtime: 'nodejs24.x',
      MemorySize: 1024,
      Timeout: 90,
      LoggingConfig: { LogFormat: 'JSON' },
    });
    expect(byDescription(t, 'Sluice sink')).toMatchObject({
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: 120,
    });
  });

  it('reserves concurrency for both handlers (the sink’s bounds the load on the cluster) and the auto-subscriber', () => {
    expect(byDescription(t, 'Sluice transform')['ReservedConcurrentExecutions']).toBe(20);
    expect(byDescription(t, 'Sluice sink')['ReservedConcurrentExecutions']).toBe(10);
    expect(byDescription(t, 'Sluice auto-subscriber')['ReservedConcurrentExecutions']).toBe(
      AUTO_SUBSCRIBER_CONCURRENCY,
    );
    const open = Template.fromStack(
      buildStack(testConfig({ functions: { sink: { reserved_concurrency: null, memory_mb: 256 } } })),
    );
    expect(byDescription(open, 'Sluice sink')['ReservedConcurrentExecutions']).toBeUndefined();
  });

  it('gives a large provisioned events stream 8 partition-key buckets a shard, and plain records on request', () => {
    const big = Template.fromStack(
      buildStack(
        testConfig({
          streams: { mode: 'provisioned', raw_shards: 2, events_shards: 40 },
          functions: { transform: { events_compression: 'none' }, sink: { reserved_concurrency: null } },
        }),
      ),
    );
    const env = (byDescription(big, 'Sluice transform')['Environment'] as { Variables: Props }).Variables;
    expect(env['SLUICE_EVENTS_PARTITION_BUCKETS']).toBe('320');
    expect(env['SLUICE_EVENTS_COMPRESSION']).toBe('none');
  });

  it('bounds the V8 heap of each function to half its memory, keeping source maps', () => {
    const options = (prefix: string) =>
      (byDescription(t, prefix)['Environment'] as { Variables: Props }).Variables['NODE_OPTIONS'];
    // transform 1024 MB (from the config above), sink 512 MB (the default)
    expect(options('Sluice transform')).toBe('--enable-source-maps --max-old-space-size=512');
    expect(options('Sluice sink')).toBe('--enable-source-maps --max-old-space-size=256');
  });

  it('sets the environment the handlers read (docs/lambda.md)', () => {
    const transform = (byDescription(t, 'Sluice transform')['Environment'] as { Variables: Props }).Variables;
    expect(Object.keys(transform).sort()).toEqual(
      [
        'NODE_OPTIONS',
        'SLUICE_DLQ_BUCKET',
        'SLUICE_EVENTS_STREAM',
        'SLUICE_LOG_LEVEL',
        'SLUICE_METRICS_NAMESPACE',
        'SLUICE_TRANSACTION_ID_FIELDS',
      ].sort(),
    );
    expect(transform['SLUICE_TRANSACTION_ID_FIELDS']).toBe('orderId,requestId');
    const sink = (byDescription(t, 'Sluice sink')['Environment'] as { Variables: Props }).Variables;
    expect(sink).toMatchObject({
      SLUICE_OPENSEARCH_SERVICE: 'es',
      SLUICE_INDEX_PREFIX: 'sluice-logs',
      SLUICE_RETRY_BUDGET_MS: '30000',
      SLUICE_METRICS_NAMESPACE: 'Sluice',
    });
    expect(JSON.stringify(sink['SLUICE_OPENSEARCH_ENDPOINT'])).toContain('DomainEndpoint');
  });

  it('lets the transform put records on "events" only, and read "raw" through its mapping', () => {
    t.hasResourceProperties('AWS::IAM::Policy', {
      Roles: [{ Ref: Match.stringLikeRegexp('^FunctionsTransformRole') }],
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: [
              'kinesis:PutRecord',
              'kinesis:PutRecords',
              'kinesis:ListShards',
              'kinesis:DescribeStreamSummary',
            ],
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsEvents'), 'Arn'] },
          }),
        ]),
      },
    });
  });

  it.each(['s3', 'sqs'] as const)(
    'sets an environment the handlers’ own config accepts (dead letters in %s)',
    (store) => {
      const tpl = Template.fromStack(
        buildStack(
          testConfig({
            dead_letters: { store },
            functions: {
              transform: {
                rules_file: 'filters/examples/rules.yaml',
                secrets_arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:k',
              },
            },
          }),
        ),
      );
      // Deploy-time values (tokens) replaced by what CloudFormation would resolve them to.
      const resolved: Record<string, string> = {
        SLUICE_EVENTS_STREAM: 'sluice-events',
        SLUICE_DLQ_BUCKET: 'sluice-dead-letters-bucket',
        SLUICE_DLQ_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/sluice-dlq',
        SLUICE_OPENSEARCH_ENDPOINT: 'https://search-sluice-abc.us-east-1.es.amazonaws.com',
      };
      const envOf = (prefix: string) => {
        const vars = (byDescription(tpl, prefix)['Environment'] as { Variables: Props }).Variables;
        const out: Record<string, string> = { AWS_REGION: 'us-east-1' };
        for (const [k, v] of Object.entries(vars)) out[k] = typeof v === 'string' ? v : (resolved[k] ?? '');
        return out;
      };
      const transform = loadTransformConfig(envOf('Sluice transform'));
      expect(transform.rulesFile).toBe('/var/task/rules.yaml');
      expect(transform.deadLetters.kind).toBe(store);
      const sink = loadSinkConfig(envOf('Sluice sink'));
      expect(sink.deadLetters.kind).toBe(store);
    },
  );
});
