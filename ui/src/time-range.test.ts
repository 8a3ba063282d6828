import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AHEAD_MS,
  parseRelative,
  parseTimeExpr,
  rangeFromInputs,
  rangeFromText,
  relativeId,
  relativeLabel,
  resolveRange,
} from './time-range.js';

const NOW = Date.UTC(2026, 11, 5, 14, 0, 0, 0);
const MIN = 60_000;
const H = 60 * MIN;
const D = 24 * H;

describe('parseRelative', () => {
  it.each([
    ['15m', 15 * MIN],
    ['now-15m', 15 * MIN],
    ['now - 2d', 2 * D],
    ['now-2d', 2 * D],
    ['last 4 hours', 4 * H],
    ['Last 4 Hours', 4 * H],
    ['past 90 minutes', 90 * MIN],
    ['last hour', H],
    ['4h', 4 * H],
    ['30s', 30_000],
    ['1w', 7 * D],
    ['7 days', 7 * D],
  ])('reads %s', (text, ms) => expect(parseRelative(text)).toBe(ms));

  it.each([
    'bogus',
    '',
    '15',
    'now',
    'now+5m',
    '15x',
    '2M',
    'last',
    '-15m',
    'now-99999999d',
    '0m',
    'last 4 hours ago',
  ])('refuses %j', (text) => expect(parseRelative(text)).toBeUndefined());
});

describe('relativeLabel / relativeId', () => {
  it.each([
    [15 * MIN, 'Last 15 minutes', '15m'],
    [H, 'Last 1 hour', '1h'],
    [4 * H, 'Last 4 hours', '4h'],
    [90 * MIN, 'Last 90 minutes', '90m'],
    [2 * D, 'Last 2 days', '2d'],
    [14 * D, 'Last 2 weeks', '2w'],
    [30_000, 'Last 30 seconds', '30s'],
  ])('%d ms is %s (%s)', (ms, label, id) => {
    expect(relativeLabel(ms)).toBe(label);
    expect(relativeId(ms)).toBe(id);
    expect(parseRelative(id)).toBe(ms);
  });
});

describe('parseTimeExpr', () => {
  it.each([
    ['now', NOW],
    ['now-15m', NOW - 15 * MIN],
    ['now+5m', NOW + 5 * MIN],
    ['now - 2d', NOW - 2 * D],
    [String(NOW - 1234), NOW - 1234],
    ['2026-12-05', Date.UTC(2026, 11, 5)],
    ['2026-12-05 13:30', Date.UTC(2026, 11, 5, 13, 30)],
    ['2026-12-05T13:30:15', Date.UTC(2026, 11, 5, 13, 30, 15)],
    ['2026-12-05 13:30:15.25', Date.UTC(2026, 11, 5, 13, 30, 15, 250)],
    ['2026-12-05T13:30:15.250Z', Date.UTC(2026, 11, 5, 13, 30, 15, 250)],
    ['2026-12-05 13:30:15+01:00', Date.UTC(2026, 11, 5, 12, 30, 15)],
    ['2026-12-05 13:30:15-0530', Date.UTC(2026, 11, 5, 19, 0, 15)],
  ])('reads %s in UTC', (text, ms) =>
    expect(parseTimeExpr(text, NOW, 'utc')).toEqual({ ok: true, value: ms }),
  );

  it.each([
    ['', /missing/],
    ['yesterday', /is not a time/],
    ['2026-02-31', /not a calendar date/],
    ['2026-13-01 10:00', /not a calendar date/],
    ['2026-12-05 25:00', /not a calendar date/],
    ['now-5x', /is not a time/],
    ['now-99999999d', /is not a time/],
  ])('refuses %j with a message saying what is expected', (text, msg) => {
    const r = parseTimeExpr(text, NOW, 'utc');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.message).toMatch(msg);
      expect(r.message).toMatch(/expected/);
    }
  });

  describe('in the local zone', () => {
    const tz = process.env.TZ;
    beforeEach(() => {
      process.env.TZ = 'Asia/Kolkata'; // UTC+05:30, no daylight saving
    });
    afterEach(() => {
      if (tz === undefined) delete process.env.TZ;
      else process.env.TZ = tz;
    });
    it('reads a date without an offset as local time, one with an offset as given', () => {
      expect(parseTimeExpr('2026-12-05 13:30', NOW, 'local')).toEqual({
        ok: true,
        value: Date.UTC(2026, 11, 5, 8, 0),
      });
      expect(parseTimeExpr('2026-12-05 13:30Z', NOW, 'local')).toEqual({
        ok: true,
        value: Date.UTC(2026, 11, 5, 13, 30),
      });
    });
  });
});

describe('resolveRange', () => {
  it('counts a relative range back from now, reaching a little ahead of it', () => {
    expect(resolveRange({ range: '15m' }, NOW)).toEqual({
      from: NOW - 15 * MIN,
      to: NOW + AHEAD_MS,
      label: 'Last 15 minutes',
    });
    expect(resolveRange({ range: 'now-2d' }, NOW)).toMatchObject({ from: NOW - 2 * D, label: 'Last 2 days' });
    expect(resolveRange({ range: 'last 4 hours' }, NOW)).toMatchObject({
      from: NOW - 4 * H,
      label: 'Last 4 hours',
    });
  });

  it('keeps a custom range as given, and leaves the start of all time open', () => {
    expect(resolveRange({ range: 'custom', from: 1, to: 2 }, NOW)).toEqual({
      from: 1,
      to: 2,
      label: 'custom',
    });
    expect(resolveRange({ range: 'all' }, NOW)).toEqual({ to: NOW + AHEAD_MS, label: 'All time' });
  });

  it.each([
    [{ range: 'bogus' }, /Unknown time range "bogus".*expected e\.g\. 15m/],
    [{ range: 'custom' }, /needs from and to/],
    [{ range: 'custom', from: 5, to: 1 }, /ends before it starts/],
    [{ range: 'custom', from: Number.NaN, to: 1 }, /needs from and to/],
  ])('falls back to the last 15 minutes with a problem for %j', (params, problem) => {
    const r = resolveRange(params, NOW);
    expect(r).toMatchObject({ from: NOW - 15 * MIN, to: NOW + AHEAD_MS, label: 'Last 15 minutes' });
    expect(r.problem).toMatch(problem);
    expect(r.problem).toMatch(/showing the last 15 minutes instead/);
  });
});

describe('rangeFromInputs (the picker From/To fields)', () => {
  it('keeps now-X → now relative', () => {
    expect(rangeFromInputs('now-2d', 'now', NOW, 'utc')).toEqual({ ok: true, value: { range: '2d' } });
    expect(rangeFromInputs('now-90m', '', NOW, 'utc')).toEqual({ ok: true, value: { range: '90m' } });
  });
  it('turns anything else into an absolute range', () => {
    expect(rangeFromInputs('2026-12-05 10:00', '2026-12-05 11:00', NOW, 'utc')).toEqual({
      ok: true,
      value: { range: 'custom', from: Date.UTC(2026, 11, 5, 10), to: Date.UTC(2026, 11, 5, 11) },
    });
    expect(rangeFromInputs('now-2d', 'now-1d', NOW, 'utc')).toEqual({
      ok: true,
      value: { range: 'custom', from: NOW - 2 * D, to: NOW - D },
    });
  });
  it('says which field is wrong, and refuses a range that ends before it starts', () => {
    expect(rangeFromInputs('soon', 'now', NOW, 'utc')).toMatchObject({ ok: false, message: /^From: / });
    expect(rangeFromInputs('now-1h', 'later', NOW, 'utc')).toMatchObject({ ok: false, message: /^To: / });
    expect(rangeFromInputs('now', 'now-1h', NOW, 'utc')).toEqual({
      ok: false,
      message: 'From must be before To',
    });
  });
});

describe('rangeFromText (the picker quick field)', () => {
  it.each([
    ['last 4 hours', '4h'],
    ['now-2d', '2d'],
    ['90 minutes', '90m'],
    ['15m', '15m'],
    ['all', 'all'],
  ])('%s → range=%s', (text, range) => expect(rangeFromText(text)).toEqual({ ok: true, value: { range } }));
  it('refuses what is not a relative range', () => {
    expect(rangeFromText('tomorrow')).toMatchObject({ ok: false, message: /expected e\.g\./ });
  });
});
