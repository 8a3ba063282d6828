import { Match, Template } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../../test/factories/infra.js';

const lambdaEnv = (t: Template, description: string) => {
  const fns = Object.values(
    t.findResources('AWS::Lambda::Function', {
      Properties: { Description: Match.stringLikeRegexp(description) },
    }),
  );
  return (fns[0] as { Properties: { Environment: { Variables: Record<string, unknown> } } }).Properties
    .Environment.Variables;
};

describe('SluiceDeadLetters', { timeout: 120_000 }, () => {
  let t: Template;
  beforeAll(() => {
    t = Template.fromStack(buildStack(testConfig({ dead_letters: { store: 's3', retention_days: 10 } })));
  }, 120_000);

  it('keeps dead letters in a KMS-encrypted, private, versioned bucket that expires them', () => {
    t.hasResourceProperties('AWS::S3::Bucket', {
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [
          Match.objectLike({ ServerSideEncryptionByDefault: Match.objectLike({ SSEAlgorithm: 'aws:kms' }) }),
        ],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      VersioningConfiguration: { Status: 'Enabled' },
      LifecycleConfiguration: { Rules: Match.arrayWith([Match.objectLike({ ExpirationInDays: 10 })]) },
      LoggingConfiguration: Match.objectLike({ LogFilePrefix: 'dead-letters/' }),
    });
  });

  it('denies every request without TLS on the buckets and queues', () => {
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    t.resourcePropertiesCountIs(
      'AWS::S3::BucketPolicy',
      { PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) } },
      2,
    );
    t.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) } },
      2,
    );
  });

  it('encrypts the dead-letter queue with the pipeline key', () => {
    t.resourcePropertiesCountIs(
      'AWS::SQS::Queue',
      {
        KmsMasterKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsKey'), 'Arn'] },
        MessageRetentionPeriod: 864000,
      },
      1,
    );
  });

  it('points both handlers at the bucket', () => {
    for (const d of ['^Sluice transform', '^Sluice sink']) {
      const env = lambdaEnv(t, d);
      expect(env).toHaveProperty('SLUICE_DLQ_BUCKET');
      expect(env).not.toHaveProperty('SLUICE_DLQ_QUEUE_URL');
    }
  });

  it('points both handlers at the queue when store is sqs', () => {
    const q = Template.fromStack(buildStack(testConfig({ dead_letters: { store: 'sqs' } })));
    for (const d of ['^Sluice transform', '^Sluice sink']) {
      const env = lambdaEnv(q, d);
      expect(env).toHaveProperty('SLUICE_DLQ_QUEUE_URL');
      expect(env).not.toHaveProperty('SLUICE_DLQ_BUCKET');
    }
  });
});
