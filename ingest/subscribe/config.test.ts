import { describe, expect, it } from 'vitest';
import { parseSubscriberConfig, subscriberConfigFromEnv } from './config.js';
import { SubscribeError } from './errors.js';

const stream = 'arn:aws:kinesis:us-east-1:123456789012:stream/raw';
const role = 'arn:aws:iam::123456789012:role/cwl-to-kinesis';

describe('subscriberConfigFromEnv', () => {
  it('reads comma lists and applies defaults', () => {
    const c = subscriberConfigFromEnv({
      SLUICE_DESTINATION_ARN: stream,
      SLUICE_SUBSCRIPTION_ROLE_ARN: role,
      SLUICE_INCLUDE_PATTERNS: ' /aws/lambda/* , /ecs/*',
      SLUICE_EXCLUDE_PATTERNS: '',
    });
    expect(c).toEqual({
      destination_arn: stream,
      role_arn: role,
      filter_name: 'sluice',
      filter_pattern: '',
      include: ['/aws/lambda/*', '/ecs/*'],
      exclude: [],
    });
  });

  it('lists every problem with its path', () => {
    let caught: unknown;
    try {
      subscriberConfigFromEnv({ SLUICE_DESTINATION_ARN: stream, SLUICE_INCLUDE_PATTERNS: 'a|b' });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SubscribeError);
    const paths = (caught as SubscribeError).problems.map((p) => p.path);
    expect(paths).toEqual(expect.arrayContaining(['include.0', 'role_arn']));
  });
});

describe('parseSubscriberConfig', () => {
  it('rejects unknown keys', () => {
    expect(() =>
      parseSubscriberConfig({ destination_arn: stream, role_arn: role, include: ['*'], includes: ['*'] }),
    ).toThrow(/includes/);
  });
  it('rejects a destination that is not an ARN', () => {
    expect(() => parseSubscriberConfig({ destination_arn: 'raw', include: ['*'] })).toThrow(
      /destination_arn/,
    );
  });
  it('accepts a Logs destination (cross-account) without a role', () => {
    const dest = 'arn:aws:logs:us-east-1:123456789012:destination:sluice';
    expect(parseSubscriberConfig({ destination_arn: dest, include: ['*'] }).role_arn).toBeUndefined();
  });
});
