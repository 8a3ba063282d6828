import { describe, expect, it } from 'vitest';
import { makeEnvelope } from '../../test/factories/cwl.js';
import { capEnvelope, capEvent, type IngestLimits, RequestBudget } from './budget.js';
import { HttpError } from './errors.js';

const LIMITS: IngestLimits = {
  maxBodyBytes: 1 << 20,
  maxDecodedBytes: 1 << 20,
  maxEventsPerRequest: 10,
  maxEventBytes: 1024,
  maxEventFields: 20,
};

describe('capEvent', () => {
  it('keeps an event within budget as it is', () => {
    const line = JSON.stringify({ msg: 'hi', a: 1 });
    expect(capEvent(line, LIMITS)).toEqual({ text: line, truncated: false });
  });

  it('cuts an event past max_event_bytes, keeps its head and says how long it was', () => {
    const c = capEvent(`start ${'é'.repeat(3000)}`, LIMITS);
    expect(c.truncated).toBe(true);
    expect(Buffer.byteLength(c.text)).toBeLessThanOrEqual(1024);
    expect(c.text.startsWith('start éé')).toBe(true);
    expect(c.text).toMatch(/…\[sluice: truncated, 6006 bytes\]$/);
    expect(c.text).not.toContain('\uFFFD');
  });

  it('keeps the first fields of a JSON event past max_event_fields, with a marker', () => {
    const wide: Record<string, unknown> = { msg: 'wide', nested: { a: 1, b: 2 } };
    for (let i = 0; i < 60; i++) wide[`f${i}`] = i;
    const c = capEvent(JSON.stringify(wide), { ...LIMITS, maxEventBytes: 1 << 20 });
    expect(c.truncated).toBe(true);
    const kept = JSON.parse(c.text) as Record<string, unknown>;
    expect(kept.msg).toBe('wide');
    expect(kept.nested).toEqual({ a: 1, b: 2 });
    expect(kept._sluice_truncated).toBe('kept 20 of 63 fields');
    expect(Object.keys(kept).length).toBeLessThanOrEqual(21);
  });

  it('leaves text with many ": in it alone when it is not a wide JSON object', () => {
    const text = `note ${'"k": '.repeat(40)}`;
    expect(capEvent(text, { ...LIMITS, maxEventBytes: 1 << 20 }).truncated).toBe(false);
  });

  it('caps the messages of an envelope and counts them', () => {
    const env = makeEnvelope(['ok', 'x'.repeat(5000), 'fine']);
    const r = capEnvelope(env, LIMITS);
    expect(r.truncated).toBe(1);
    expect(r.envelope.logEvents[0]!.message).toBe('ok');
    expect(r.envelope.logEvents[1]!.message.length).toBeLessThanOrEqual(1024);
    expect(env.logEvents[1]!.message.length).toBe(5000);
  });
});

describe('RequestBudget', () => {
  it('refuses the request past its events or its decoded bytes with 413', () => {
    const b = new RequestBudget(LIMITS);
    b.spendEvents(10);
    expect(() => b.spendEvents(1)).toThrow(HttpError);
    const d = new RequestBudget(LIMITS);
    d.spendDecoded(1 << 20);
    expect(() => d.spendDecoded(1)).toThrow(/max_decoded_bytes/);
  });

  it('hands each nested payload only what is left', () => {
    const b = new RequestBudget({ ...LIMITS, maxDecodedBytes: 5000 });
    const o = b.decodeOptions();
    expect(o.maxDecompressedBytes).toBe(5000);
    o.onDecoded?.(3000);
    expect(o.maxDecompressedBytes).toBe(2000);
  });
});
