import { describe, expect, it } from 'vitest';
import { parseSort } from '../../search/sort.js';
import { nextSort, shownLabel, sortArrow, sortable } from './list-sort.js';

describe('result list sort from the column headers', () => {
  it('sorts a column in its first direction, then flips it', () => {
    const time = parseSort(undefined);
    expect(nextSort(time, '@timestamp')).toBe('asc');
    expect(nextSort(parseSort('asc'), '@timestamp')).toBe('desc');
    expect(nextSort(time, 'service.name')).toBe('service.name:asc');
    expect(nextSort(parseSort('service.name:asc'), 'service.name')).toBe('service.name:desc');
    expect(nextSort(time, 'log.level')).toBe('log.level:desc');
    expect(nextSort(parseSort('log.level:desc'), 'lambda.report.duration_ms')).toBe(
      'lambda.report.duration_ms:desc',
    );
  });

  it('offers only the sortable columns, with an arrow on the sorted one', () => {
    expect(
      ['log.level', 'service.name', 'message', 'transaction.id', 'lambda.report.duration_ms'].filter(
        sortable,
      ),
    ).toEqual(['log.level', 'service.name', 'lambda.report.duration_ms']);
    const s = parseSort('log.level:asc');
    expect(sortArrow(s, 'log.level')).toBe('↑');
    expect(sortArrow(s, 'service.name')).toBe('');
    expect(shownLabel(parseSort('asc'), '100')).toBe('oldest 100 shown');
    expect(shownLabel(s, '100')).toBe('first 100 by log.level ↑ shown');
  });
});
