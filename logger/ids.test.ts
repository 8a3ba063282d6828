import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cleanTransactionId, formatTraceparent, parseTraceparent, parseXRayRoot } from './ids.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';

describe('cleanTransactionId', () => {
  it.each([
    ['abc-123', 'abc-123'],
    ['0f8fad5b-d9cb-469f-a165-70867728950e', '0f8fad5b-d9cb-469f-a165-70867728950e'],
    ['1-5759e988-bd862e3fe1be46a994272793', '1-5759e988-bd862e3fe1be46a994272793'],
    [42, '42'],
    ['', undefined],
    ['has space', undefined],
    ['<script>', undefined],
    ['x'.repeat(129), undefined],
    [-1, undefined],
    [{ id: 'a' }, undefined],
  ])('accepts %j as %j', (input, expected) => {
    expect(cleanTransactionId(input)).toBe(expected);
  });
});

describe('parseTraceparent', () => {
  it('reads trace id, parent id and flags', () => {
    expect(parseTraceparent(`00-${TRACE}-00f067aa0ba902b7-01`)).toEqual({
      traceId: TRACE,
      parentId: '00f067aa0ba902b7',
      flags: '01',
    });
  });

  it.each([
    ['version ff', `ff-${TRACE}-00f067aa0ba902b7-01`],
    ['all-zero trace id', `00-${'0'.repeat(32)}-00f067aa0ba902b7-01`],
    ['all-zero parent id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['upper case', `00-${TRACE.toUpperCase()}-00f067aa0ba902b7-01`],
    ['extra field on version 00', `00-${TRACE}-00f067aa0ba902b7-01-xyz`],
    ['short trace id', '00-abc-00f067aa0ba902b7-01'],
  ])('rejects %s', (_name, value) => {
    expect(parseTraceparent(value)).toBeUndefined();
  });

  it('accepts extra fields of a later version', () => {
    expect(parseTraceparent(`01-${TRACE}-00f067aa0ba902b7-01-future`)?.traceId).toBe(TRACE);
  });

  it('round-trips what formatTraceparent writes, with a fresh span each time', () => {
    const a = formatTraceparent(TRACE);
    const b = formatTraceparent(TRACE, '00');
    expect(parseTraceparent(a)).toMatchObject({ traceId: TRACE, flags: '01' });
    expect(parseTraceparent(b)).toMatchObject({ traceId: TRACE, flags: '00' });
    expect(a.slice(36, 52)).not.toBe(b.slice(36, 52));
  });

  it('never throws and only returns well-formed ids on any string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 600 }), (s) => {
        const tp = parseTraceparent(s);
        if (tp) expect(tp.traceId).toMatch(/^[0-9a-f]{32}$/);
        const xr = parseXRayRoot(s);
        if (xr) expect(xr).toMatch(/^1-[0-9a-f]{8}-[0-9a-f]{24}$/);
        const id = cleanTransactionId(s);
        if (id) expect(id).toBe(s);
      }),
    );
  });
});

describe('parseXRayRoot', () => {
  it.each([
    [
      'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1',
      '1-5759e988-bd862e3fe1be46a994272793',
    ],
    [
      'Parent=53995c3f42cd8ad8; Root=1-5759e988-bd862e3fe1be46a994272793',
      '1-5759e988-bd862e3fe1be46a994272793',
    ],
    ['Root=2-5759e988-bd862e3fe1be46a994272793', undefined],
    ['NotRoot=1-5759e988-bd862e3fe1be46a994272793', undefined],
    [undefined, undefined],
  ])('reads %j as %j', (header, expected) => {
    expect(parseXRayRoot(header)).toBe(expected);
  });
});
