import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCwlData, kinesisEventOf, makeEnvelope } from '../test/factories/cwl.js';
import { decodeKinesisEvent } from './aws-events.js';
import { decodeCwlData, decodeEnvelopeValue, isDataMessage } from './decode.js';
import { CwlDataMessageSchema } from './envelope.js';
import { IngestError } from './errors.js';

const isTyped = (r: ReturnType<typeof decodeCwlData>): boolean =>
  r.kind !== 'error' || (r.error instanceof IngestError && /^INGEST_/.test(r.error.code));

/** Envelope-like objects: mostly right, with any field possibly wrong or missing. */
const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 4, arbitrary: arb }, { weight: 1, arbitrary: fc.anything() });
const logEvent = fc.record(
  {
    id: maybe(fc.string()),
    timestamp: maybe(fc.double()),
    message: maybe(fc.string()),
    extractedFields: fc.anything(),
  },
  { requiredKeys: [] },
);
const envelopeLike = fc.record(
  {
    messageType: maybe(fc.constantFrom('DATA_MESSAGE', 'CONTROL_MESSAGE', 'OTHER')),
    owner: maybe(fc.string()),
    logGroup: maybe(fc.string()),
    logStream: maybe(fc.string()),
    subscriptionFilters: maybe(fc.array(fc.string())),
    logEvents: maybe(fc.array(maybe(logEvent), { maxLength: 5 })),
    policyLevel: maybe(fc.string()),
  },
  { requiredKeys: [] },
);

describe('decoders (property)', () => {
  it('never throw on any bytes, and any error is a typed IngestError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (bytes) => {
        expect(isTyped(decodeCwlData(bytes))).toBe(true);
        expect(isTyped(decodeCwlData(Buffer.from(bytes).toString('base64')))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throw on any string given as base64 data', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 512 }), (s) => {
        expect(isTyped(decodeCwlData(s))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('never throw on gzip of any bytes or any JSON value', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.uint8Array({ maxLength: 512 }),
          fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v) ?? '')),
        ),
        (b) => {
          expect(isTyped(decodeCwlData(gzipSync(b)))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('round-trip every valid DATA_MESSAGE', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme', maxLength: 200 }), { maxLength: 20 }),
        fc.string(),
        (messages, group) => {
          const env = makeEnvelope(messages, { logGroup: group });
          expect(decodeCwlData(encodeCwlData(env))).toEqual({ kind: 'data', envelope: env });
        },
      ),
      { numRuns: 200 },
    );
  });

  it('fast envelope check agrees with the zod schema (the source of truth)', () => {
    fc.assert(
      fc.property(envelopeLike, (obj) => {
        const zodOk = CwlDataMessageSchema.safeParse(obj).success;
        expect(isDataMessage(obj as Record<string, unknown>)).toBe(zodOk);
        const r = decodeEnvelopeValue(obj);
        if (obj.messageType !== 'CONTROL_MESSAGE') expect(r.kind).toBe(zodOk ? 'data' : 'error');
      }),
      { numRuns: 2000 },
    );
  });

  it('decode each Kinesis record independently of its neighbours', () => {
    const good = encodeCwlData(makeEnvelope(['a', 'b']));
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.constant(good), fc.base64String(), fc.string()), { maxLength: 10 }),
        (datas) => {
          const all = decodeKinesisEvent(kinesisEventOf(datas));
          expect(all).toHaveLength(datas.length);
          datas.forEach((d, i) => {
            expect(all[i]!.result).toEqual(decodeCwlData(d));
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
