import { describe, expect, it } from 'vitest';
import { transactionFromEvent, transactionFromRecord } from './aws-events.js';
import { transactionFromHeaders, transactionFromPayload } from './extract.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const TP = `00-${TRACE}-00f067aa0ba902b7-01`;
const XRAY = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
const XRAY_ROOT = '1-5759e988-bd862e3fe1be46a994272793';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const sqs = (attrs: Record<string, string>, body = '{}', awsTrace?: string) => ({
  eventSource: 'aws:sqs',
  messageId: 'm',
  body,
  attributes: awsTrace ? { AWSTraceHeader: awsTrace } : {},
  messageAttributes: Object.fromEntries(
    Object.entries(attrs).map(([k, v]) => [k, { stringValue: v, dataType: 'String' }]),
  ),
});
const kinesis = (payload: unknown) => ({ eventSource: 'aws:kinesis', kinesis: { data: b64(payload) } });

describe('transactionFromHeaders', () => {
  it.each([
    ['x-transaction-id', { 'x-transaction-id': 'tx-1' }, { id: 'tx-1' }],
    ['any case', { 'X-Transaction-Id': 'tx-1' }, { id: 'tx-1' }],
    ['x-correlation-id', { 'x-correlation-id': 'c-1' }, { id: 'c-1' }],
    ['traceparent only', { traceparent: TP }, { id: TRACE, traceId: TRACE, traceFlags: '01' }],
    [
      'both',
      { 'x-transaction-id': 'tx-1', traceparent: TP },
      { id: 'tx-1', traceId: TRACE, traceFlags: '01' },
    ],
    ['X-Ray header', { 'x-amzn-trace-id': XRAY }, { traceId: XRAY_ROOT }],
    ['repeated header', { 'x-transaction-id': ['tx-1', 'tx-2'] }, { id: 'tx-1' }],
    ['invalid id and traceparent', { 'x-transaction-id': 'bad id!', traceparent: 'nope' }, {}],
    ['none', {}, {}],
  ])('reads %s', (_name, headers, expected) => {
    expect(transactionFromHeaders(headers)).toEqual(expected);
  });

  it('reads a fetch Headers object', () => {
    expect(transactionFromHeaders(new Headers({ 'X-Transaction-Id': 'tx-h' }))).toEqual({ id: 'tx-h' });
  });
});

describe('transactionFromPayload', () => {
  it.each([
    [{ transactionId: 'a' }, { id: 'a' }],
    [{ correlation_id: 'b' }, { id: 'b' }],
    [{ transaction: { id: 'c' } }, { id: 'c' }],
    [{ transactionId: 'a', transaction: { id: 'c' } }, { id: 'a' }],
    [{ traceparent: TP }, { id: TRACE, traceId: TRACE, traceFlags: '01' }],
    [{ transactionId: { nested: true } }, {}],
    [JSON.parse('{"__proto__": {"transactionId": "polluted"}}'), {}],
    [[{ transactionId: 'a' }], {}],
    [null, {}],
  ])('reads %j', (payload, expected) => {
    expect(transactionFromPayload(payload)).toEqual(expected);
  });
});

describe('transactionFromEvent', () => {
  it.each([
    [
      'API Gateway REST (v1)',
      { httpMethod: 'GET', headers: { 'X-Transaction-Id': 'tx-v1' }, requestContext: { requestId: 'r' } },
      { id: 'tx-v1' },
    ],
    [
      'API Gateway REST (v1) multi-value headers only',
      {
        httpMethod: 'GET',
        headers: null,
        multiValueHeaders: { 'x-transaction-id': ['tx-mv'] },
        requestContext: {},
      },
      { id: 'tx-mv' },
    ],
    [
      'API Gateway HTTP (v2)',
      { version: '2.0', headers: { traceparent: TP }, requestContext: { http: { method: 'GET' } } },
      { id: TRACE, traceId: TRACE, traceFlags: '01' },
    ],
    ['API Gateway without headers', { httpMethod: 'GET', requestContext: {} }, {}],
    ['SQS attribute', { Records: [sqs({ 'x-transaction-id': 'tx-sqs' })] }, { id: 'tx-sqs' }],
    [
      'SQS traceparent attribute',
      { Records: [sqs({ traceparent: TP })] },
      { id: TRACE, traceId: TRACE, traceFlags: '01' },
    ],
    ['SQS body', { Records: [sqs({}, '{"transactionId":"tx-body"}')] }, { id: 'tx-body' }],
    [
      'SQS AWSTraceHeader',
      { Records: [sqs({ 'x-transaction-id': 'a' }, 'text', XRAY)] },
      { id: 'a', traceId: XRAY_ROOT },
    ],
    [
      'SQS batch agreeing',
      { Records: [sqs({ 'x-transaction-id': 'same' }), sqs({ 'x-transaction-id': 'same' })] },
      { id: 'same' },
    ],
    [
      'SQS batch disagreeing',
      { Records: [sqs({ 'x-transaction-id': 'a' }), sqs({ 'x-transaction-id': 'b' })] },
      {},
    ],
    ['Kinesis data', { Records: [kinesis({ transactionId: 'tx-k', orderId: 1 })] }, { id: 'tx-k' }],
    [
      'Kinesis non-JSON data',
      { Records: [{ eventSource: 'aws:kinesis', kinesis: { data: 'bm90IGpzb24=' } }] },
      {},
    ],
    [
      'SNS attribute',
      {
        Records: [
          {
            EventSource: 'aws:sns',
            Sns: {
              Message: 'x',
              MessageAttributes: { 'x-transaction-id': { Type: 'String', Value: 'tx-sns' } },
            },
          },
        ],
      },
      { id: 'tx-sns' },
    ],
    [
      'EventBridge detail',
      { 'detail-type': 'OrderPlaced', source: 'shop', detail: { transactionId: 'tx-eb', orderId: 'o' } },
      { id: 'tx-eb' },
    ],
    ['direct invoke payload', { transaction_id: 'tx-direct' }, { id: 'tx-direct' }],
    ['a string', 'hello', {}],
    ['empty batch', { Records: [] }, {}],
  ])('reads %s', (_name, event, expected) => {
    expect(transactionFromEvent(event)).toEqual(expected);
  });

  it('reads each record of a batch on its own', () => {
    const records = [
      sqs({ 'x-transaction-id': 'a' }),
      kinesis({ correlationId: 'b' }),
      { transactionId: 'c' },
    ];
    expect(records.map((r) => transactionFromRecord(r).id)).toEqual(['a', 'b', 'c']);
  });
});
