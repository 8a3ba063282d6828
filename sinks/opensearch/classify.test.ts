import { describe, expect, it } from 'vitest';
import { classifyItem, classifyRequestError, describeItemError, offendingField } from './classify.js';

// Error bodies as OpenSearch 2.19 returns them in bulk responses.
const parseError = {
  type: 'mapper_parsing_exception',
  reason:
    "failed to parse field [lambda.report.duration_ms] of type [double] in document with id 'x'. Preview of field's value: 'secret-abc'",
  caused_by: { type: 'number_format_exception', reason: 'For input string: "secret-abc"' },
};
const strictError = {
  type: 'strict_dynamic_mapping_exception',
  reason: 'mapping set to strict, dynamic introduction of [extra] within [_doc] is not allowed',
};
const strictNested = {
  type: 'strict_dynamic_mapping_exception',
  reason: 'mapping set to strict, dynamic introduction of [color] within [log] is not allowed',
};
const immense = {
  type: 'illegal_argument_exception',
  reason:
    'Document contains at least one immense term in field="transaction.id" (whose UTF8 encoding is longer than the max length 32766), all of which were skipped.',
};
const objectConflict = {
  type: 'mapper_parsing_exception',
  reason: 'object mapping for [service] tried to parse field [service] as object, but found a concrete value',
};

// As OpenSearch 2.19 answers a bulk item on an index with `index.blocks.write: true`, and with the
// block a full disk sets (`index.blocks.read_only_allow_delete`).
const writeBlock = {
  type: 'cluster_block_exception',
  reason: 'index [.ds-sluice-logs-orders-000001] blocked by: [FORBIDDEN/8/index write (api)];',
};
const diskBlock = {
  type: 'cluster_block_exception',
  reason:
    'index [.ds-sluice-logs-orders-000001] blocked by: [TOO_MANY_REQUESTS/12/disk usage exceeded flood-stage watermark, index has read-only-allow-delete block];',
};
// A flat_object leaf over Lucene's term limit (its internal sub-fields are named).
const immenseFlat = {
  type: 'illegal_argument_exception',
  reason:
    'Document contains at least one immense term in field="attributes._valueAndPath" (whose UTF8 encoding is longer than the max length 32766), all of which were skipped.',
};
const docValuesFlat = {
  type: 'illegal_argument_exception',
  reason: 'DocValuesField "attributes._valueAndPath" is too large, must be <= 32766',
};

describe('offendingField', () => {
  it.each([
    [immenseFlat, 'attributes'],
    [docValuesFlat, 'attributes'],
    [parseError, 'lambda.report.duration_ms'],
    [strictError, 'extra'],
    [strictNested, 'log.color'],
    [immense, 'transaction.id'],
    [objectConflict, 'service'],
    [{ type: 'x', reason: 'nothing here' }, undefined],
    [undefined, undefined],
  ])('finds the field in %j', (error, field) => {
    expect(offendingField(error)).toBe(field);
  });

  it('looks into caused_by', () => {
    expect(
      offendingField({ type: 'document_parsing_exception', reason: '[1:2] failed', caused_by: parseError }),
    ).toBe('lambda.report.duration_ms');
  });
});

describe('classifyItem', () => {
  it.each([
    [{ status: 201 }, 'indexed'],
    [{ status: 200 }, 'indexed'],
    [{ status: 409, error: { type: 'version_conflict_engine_exception' } }, 'duplicate'],
    [{ status: 429, error: { type: 'es_rejected_execution_exception' } }, 'retry'],
    [{ status: 503, error: { type: 'unavailable_shards_exception' } }, 'retry'],
    [{ status: 500 }, 'retry'],
    [{ status: 400, error: parseError }, 'heal'],
    [{ status: 400, error: strictError }, 'heal'],
    [{ status: 400, error: immense }, 'heal'],
    [{ status: 400, error: { type: 'illegal_argument_exception', reason: 'no field named here' } }, 'reject'],
    [
      { status: 400, error: { type: 'action_request_validation_exception', reason: 'field [x] bad' } },
      'reject',
    ],
    [{ status: 404, error: { type: 'index_not_found_exception' } }, 'refused'],
    [
      {
        status: 403,
        error: { type: 'security_exception', reason: 'no permissions for [indices:data/write/bulk[s]]' },
      },
      'unauthorized',
    ],
    [{ status: 401, error: { type: 'security_exception' } }, 'unauthorized'],
    [{ status: 403, error: writeBlock }, 'retry'],
    [{ status: 429, error: diskBlock }, 'retry'],
    [
      { status: 400, error: { type: 'circuit_breaking_exception', reason: '[parent] Data too large' } },
      'retry',
    ],
    [{ status: 400, error: immenseFlat }, 'heal'],
  ])('classifies %j as %s', (item, kind) => {
    expect(classifyItem(item).kind).toBe(kind);
  });

  it('names the field to heal', () => {
    expect(classifyItem({ status: 400, error: parseError })).toMatchObject({
      kind: 'heal',
      field: 'lambda.report.duration_ms',
    });
  });
});

describe('describeItemError', () => {
  it('names type, field and status but never the value', () => {
    const text = describeItemError(400, parseError);
    expect(text).toBe('mapper_parsing_exception on field [lambda.report.duration_ms] (status 400)');
    expect(text).not.toContain('secret');
  });
});

describe('classifyRequestError', () => {
  const named = (name: string, extra: Record<string, unknown> = {}): Error =>
    Object.assign(new Error('x'), { name }, extra);
  it.each([
    [named('ResponseError', { statusCode: 413 }), 'split'],
    [named('ResponseError', { statusCode: 429 }), 'retry'],
    [named('ResponseError', { statusCode: 502 }), 'retry'],
    [named('ResponseError', { statusCode: 403 }), 'unauthorized'],
    [named('ResponseError', { statusCode: 401 }), 'unauthorized'],
    [
      named('ResponseError', {
        statusCode: 403,
        meta: {
          body: {
            error: {
              type: 'cluster_block_exception',
              reason: 'blocked by: [FORBIDDEN/6/cluster read-only (api)]',
            },
          },
        },
      }),
      'retry',
    ],
    [
      named('ResponseError', { statusCode: 403, meta: { body: { error: { type: 'security_exception' } } } }),
      'unauthorized',
    ],
    [named('ResponseError', { statusCode: 400 }), 'fatal'],
    [named('ConnectionError'), 'retry'],
    [named('TimeoutError'), 'retry'],
    [named('NoLivingConnectionsError'), 'retry'],
    [named('RequestAbortedError'), 'aborted'],
    [named('AwsSigv4SignerError'), 'fatal'],
    [named('SomethingNew'), 'retry'],
  ])('classifies %s', (err, kind) => {
    expect(classifyRequestError(err).kind).toBe(kind);
  });

  it('names what the security plugin refused, from the response body', () => {
    const err = named('ResponseError', {
      statusCode: 403,
      meta: {
        body: {
          error: { type: 'security_exception', reason: 'no permissions for [indices:data/write/bulk]' },
        },
      },
    });
    expect(classifyRequestError(err)).toEqual({
      kind: 'unauthorized',
      reason:
        'HTTP 403 from the bulk endpoint (security_exception: no permissions for [indices:data/write/bulk])',
    });
  });
});
