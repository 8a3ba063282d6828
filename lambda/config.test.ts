import { describe, expect, it } from 'vitest';
import { loadSinkConfig, loadTransformConfig } from './config.js';
import { LambdaConfigError } from './errors.js';

const transformEnv = {
  AWS_REGION: 'eu-west-1',
  SLUICE_EVENTS_STREAM: 'sluice-events',
  SLUICE_DLQ_BUCKET: 'sluice-dlq',
  PATH: '/usr/bin',
};
const sinkEnv = {
  AWS_REGION: 'eu-west-1',
  SLUICE_OPENSEARCH_ENDPOINT: 'https://search-x.eu-west-1.es.amazonaws.com',
  SLUICE_DLQ_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/dlq',
};

function problemsOf(fn: () => unknown): { variable: string; received: string; expected: string }[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(LambdaConfigError);
    return [...(err as LambdaConfigError).problems];
  }
  throw new Error('expected a LambdaConfigError');
}

describe('loadTransformConfig', () => {
  it('reads a minimal environment with defaults', () => {
    expect(loadTransformConfig(transformEnv)).toEqual({
      region: 'eu-west-1',
      metricsNamespace: 'Sluice',
      logLevel: 'info',
      deadLetters: { kind: 's3', bucket: 'sluice-dlq' },
      eventsStream: 'sluice-events',
    });
  });

  it('reads the optional variables', () => {
    const config = loadTransformConfig({
      ...transformEnv,
      SLUICE_RULES_FILE: 'rules.yaml',
      SLUICE_SECRETS_ARN: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:keys',
      SLUICE_TRANSACTION_ID_FIELDS: 'correlationId, requestId ,',
      SLUICE_LOG_LEVEL: 'debug',
      SLUICE_METRICS_NAMESPACE: 'Custom',
      SLUICE_EVENTS_PARTITION_BUCKETS: '0',
      SLUICE_EVENTS_COMPRESSION: 'none',
    });
    expect(config.partitionBuckets).toBe(0);
    expect(config.compression).toBe('none');
    expect(config.transactionIdFields).toEqual(['correlationId', 'requestId']);
    expect(config.rulesFile).toBe('rules.yaml');
    expect(config.secretsArn).toContain('secretsmanager');
    expect(config.logLevel).toBe('debug');
  });

  it('lists every problem at once, without echoing values', () => {
    const problems = problemsOf(() =>
      loadTransformConfig({
        SLUICE_EVENTS_STREAM: 'bad name with spaces',
        SLUICE_LOG_LEVEL: 'loud',
        SLUICE_SECRETS_ARN: 'not-an-arn-s3cr3t',
        SLUICE_EVENT_STREAM: 'typo',
        SLUICE_EVENTS_PARTITION_BUCKETS: '-1',
        SLUICE_EVENTS_COMPRESSION: 'zstd',
      }),
    );
    expect(problems.map((p) => p.variable).sort()).toEqual([
      'AWS_REGION',
      'SLUICE_DLQ_BUCKET / SLUICE_DLQ_QUEUE_URL',
      'SLUICE_EVENTS_COMPRESSION',
      'SLUICE_EVENTS_PARTITION_BUCKETS',
      'SLUICE_EVENTS_STREAM',
      'SLUICE_EVENT_STREAM',
      'SLUICE_LOG_LEVEL',
      'SLUICE_SECRETS_ARN',
    ]);
    expect(JSON.stringify(problems)).not.toContain('s3cr3t');
    const region = problems.find((p) => p.variable === 'AWS_REGION')!;
    expect(region.received).toBe('nothing (not set)');
    expect(region.expected).toContain('AWS region');
  });

  it('rejects both dead-letter targets at once', () => {
    const problems = problemsOf(() =>
      loadTransformConfig({ ...transformEnv, SLUICE_DLQ_QUEUE_URL: 'https://sqs.x/1/q' }),
    );
    expect(problems).toEqual([
      expect.objectContaining({ variable: 'SLUICE_DLQ_BUCKET / SLUICE_DLQ_QUEUE_URL', received: 'both set' }),
    ]);
  });

  it('puts every problem in the message', () => {
    expect(() => loadTransformConfig({})).toThrow(/AWS_REGION[\s\S]*SLUICE_EVENTS_STREAM/);
  });
});

describe('loadSinkConfig', () => {
  it('reads a minimal environment with defaults', () => {
    expect(loadSinkConfig(sinkEnv)).toEqual({
      region: 'eu-west-1',
      metricsNamespace: 'Sluice',
      logLevel: 'info',
      deadLetters: { kind: 'sqs', queueUrl: sinkEnv.SLUICE_DLQ_QUEUE_URL },
      opensearch: { endpoint: sinkEnv.SLUICE_OPENSEARCH_ENDPOINT, service: 'es' },
      indexPrefix: 'sluice-logs',
    });
  });

  it('accepts the transform variables set on the sink function (shared env)', () => {
    expect(() => loadSinkConfig({ ...sinkEnv, SLUICE_EVENTS_STREAM: 'x' })).not.toThrow();
  });

  it.each([
    ['SLUICE_OPENSEARCH_ENDPOINT', 'http://search.example.com'],
    ['SLUICE_OPENSEARCH_SERVICE', 'solr'],
    ['SLUICE_INDEX_PREFIX', 'logs'],
    ['SLUICE_RETRY_BUDGET_MS', '-5'],
    ['SLUICE_RETRY_BUDGET_MS', 'soon'],
  ])('rejects %s=%s', (variable, value) => {
    expect(
      problemsOf(() => loadSinkConfig({ ...sinkEnv, [variable]: value })).map((p) => p.variable),
    ).toEqual([variable]);
  });

  it('allows plain http for a loopback OpenSearch (local runs)', () => {
    const c = loadSinkConfig({
      ...sinkEnv,
      SLUICE_OPENSEARCH_ENDPOINT: 'http://127.0.0.1:9201',
      SLUICE_RETRY_BUDGET_MS: '3000',
    });
    expect(c.opensearch.endpoint).toBe('http://127.0.0.1:9201');
    expect(c.retryBudgetMs).toBe(3000);
  });
});
