import { describe, expect, it } from 'vitest';
import { UsageError } from '../command.js';
import { parseRefreshInterval, RUN_REFRESH_INTERVAL } from './run.js';

describe('sluice run --refresh-interval', () => {
  it('defaults to 1 s, as sluice start does', () => {
    expect(RUN_REFRESH_INTERVAL).toBe('1s');
    expect(parseRefreshInterval(undefined)).toBe('1s');
  });

  it('takes OpenSearch time values and -1 (refresh off)', () => {
    for (const v of ['500ms', '1s', '5s', '30s', '1m', '2h', '1d', '-1'])
      expect(parseRefreshInterval(v)).toBe(v);
  });

  it('rejects anything else with a usage error naming what is expected', () => {
    for (const v of ['', '5', 's', '1 s', '1.5s', '5sec', '-2', '1s; x', '10000000000s']) {
      expect(() => parseRefreshInterval(v)).toThrow(UsageError);
      expect(() => parseRefreshInterval(v)).toThrow(/--refresh-interval must be an OpenSearch time value/);
    }
  });
});
