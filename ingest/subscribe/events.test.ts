import { describe, expect, it } from 'vitest';
import { SubscribeError } from './errors.js';
import { classifyTrigger } from './events.js';

const created = (detail: Record<string, unknown>) => ({
  version: '0',
  source: 'aws.logs',
  'detail-type': 'AWS API Call via CloudTrail',
  detail: { eventName: 'CreateLogGroup', ...detail },
});

describe('classifyTrigger', () => {
  it('reads the log group name of a CloudTrail CreateLogGroup event', () => {
    expect(classifyTrigger(created({ requestParameters: { logGroupName: '/aws/lambda/x' } }))).toEqual({
      kind: 'created',
      logGroupName: '/aws/lambda/x',
    });
  });
  it('recognises a failed CreateLogGroup call', () => {
    expect(
      classifyTrigger(
        created({ requestParameters: { logGroupName: '/x' }, errorCode: 'ResourceAlreadyExists' }),
      ),
    ).toEqual({ kind: 'failed_call' });
  });
  it.each(['Create', 'Update', 'Delete'])('recognises a custom-resource %s event', (rt) => {
    expect(classifyTrigger({ RequestType: rt, ResourceProperties: {} })).toEqual({
      kind: 'deploy',
      requestType: rt,
    });
  });
  it('recognises the scheduled re-subscription (also a manual re-drive)', () => {
    expect(classifyTrigger({ sluice: 'resubscribe' })).toEqual({ kind: 'resubscribe' });
  });
  it('rejects anything else without echoing its content', () => {
    let caught: unknown;
    try {
      classifyTrigger({ source: 'aws.logs', detail: { eventName: 'secret-value' } });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SubscribeError);
    expect((caught as SubscribeError).code).toBe('SUBSCRIBE_EVENT_INVALID');
    expect((caught as SubscribeError).message).not.toContain('secret-value');
    expect((caught as SubscribeError).message).toContain('detail.eventName');
  });
});
