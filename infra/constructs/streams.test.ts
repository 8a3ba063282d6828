import { Match, Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { buildStack, testConfig } from '../../test/factories/infra.js';

describe('SluiceStreams', { timeout: 120_000 }, () => {
  it('creates raw and events streams encrypted with the rotating customer key, on demand by default', () => {
    const t = Template.fromStack(buildStack());
    t.resourceCountIs('AWS::Kinesis::Stream', 2);
    for (const name of ['sluice-raw', 'sluice-events']) {
      t.hasResourceProperties('AWS::Kinesis::Stream', {
        Name: name,
        StreamEncryption: {
          EncryptionType: 'KMS',
          KeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamsKey'), 'Arn'] },
        },
        StreamModeDetails: { StreamMode: 'ON_DEMAND' },
        RetentionPeriodHours: 24,
      });
    }
    t.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
  });

  it('uses the configured shard counts when provisioned', () => {
    const t = Template.fromStack(
      buildStack(
        testConfig({
          streams: { mode: 'provisioned', raw_shards: 4, events_shards: 3, retention_hours: 48 },
        }),
      ),
    );
    t.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: 'sluice-raw',
      ShardCount: 4,
      RetentionPeriodHours: 48,
    });
    t.hasResourceProperties('AWS::Kinesis::Stream', { Name: 'sluice-events', ShardCount: 3 });
    const modes = Object.values(t.findResources('AWS::Kinesis::Stream')).map(
      (r) =>
        (r as { Properties: { StreamModeDetails?: { StreamMode: string } } }).Properties.StreamModeDetails
          ?.StreamMode,
    );
    expect(modes).toEqual(['PROVISIONED', 'PROVISIONED']);
  });
});
