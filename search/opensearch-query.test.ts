import { describe, expect, it } from 'vitest';
import { buildOpenSearchQuery } from './opensearch-query.js';
import { parseQuery } from './query.js';

describe('buildOpenSearchQuery', () => {
  it('builds structured clauses: terms on keywords, phrases on text, must_not for negation', () => {
    const q = buildOpenSearchQuery(
      parseQuery('service:orders -level:debug "card declined" attributes.order_id:o-1'),
      { from: 1, to: 2 },
    );
    expect(q).toEqual({
      bool: {
        filter: [
          { range: { '@timestamp': { format: 'epoch_millis', gte: 1, lt: 2 } } },
          { term: { 'service.name': { value: 'orders' } } },
          { multi_match: { query: 'card declined', type: 'phrase', fields: ['message', 'error.message'] } },
          { term: { 'attributes.order_id': { value: 'o-1' } } },
        ],
        must_not: [{ term: { 'log.level': { value: 'debug' } } }],
      },
    });
  });

  it('never turns user text into query_string syntax (values stay values)', () => {
    const evil = 'a OR b) AND service.name:* \\"x';
    const json = JSON.stringify(
      buildOpenSearchQuery(
        parseQuery(`service:"${evil.replace(/["\\]/g, '\\$&')}" "${evil.replace(/["\\]/g, '\\$&')}"`),
        {},
      ),
    );
    expect(json).not.toContain('query_string');
    expect(json).not.toContain('simple_query_string');
    const q = buildOpenSearchQuery(parseQuery(`service:"${evil.replace(/["\\]/g, '\\$&')}"`), {}) as {
      bool: { filter: unknown[] };
    };
    expect(q.bool.filter[0]).toEqual({ term: { 'service.name': { value: evil } } });
  });

  it('matches any of several values and prefixes', () => {
    const q = buildOpenSearchQuery(parseQuery('level:WARN,error service:pay*'), {}) as {
      bool: { filter: unknown[] };
    };
    expect(q.bool.filter).toEqual([
      {
        bool: {
          should: [
            { term: { 'log.level': { value: 'warn' } } },
            { term: { 'log.level': { value: 'error' } } },
          ],
          minimum_should_match: 1,
        },
      },
      { prefix: { 'service.name': { value: 'pay' } } },
    ]);
  });
});
