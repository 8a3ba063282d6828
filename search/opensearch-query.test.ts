import { describe, expect, it } from 'vitest';
import { buildOpenSearchQuery, textTokens } from './opensearch-query.js';
import { parseQuery } from './query.js';

describe('buildOpenSearchQuery', () => {
  it('builds structured clauses: terms on keywords, tokens on text, must_not for negation', () => {
    const q = buildOpenSearchQuery(
      parseQuery('service:orders -level:debug "card declined" attributes.order_id:o-1'),
      {
        from: 1,
        to: 2,
      },
    );
    const spans = (f: string) => ({
      span_near: {
        clauses: [{ span_term: { [f]: { value: 'card' } } }, { span_term: { [f]: { value: 'declined' } } }],
        slop: 0,
        in_order: true,
      },
    });
    expect(q).toEqual({
      bool: {
        filter: [
          { range: { '@timestamp': { format: 'epoch_millis', gte: 1, lt: 2 } } },
          {
            bool: {
              filter: [
                { term: { 'service.name': { value: 'orders' } } },
                { bool: { must_not: [{ term: { 'log.level': { value: 'debug' } } }] } },
                {
                  bool: {
                    should: ['message', 'error.type.text', 'error.message', 'error.stack_trace'].map(spans),
                    minimum_should_match: 1,
                  },
                },
                { term: { 'attributes.order_id': { value: 'o-1' } } },
              ],
            },
          },
        ],
      },
    });
  });

  it('never turns user text into query_string syntax (values stay values)', () => {
    const evil = 'a OR b) AND service.name:* \\"x';
    const quoted = `"${evil.replace(/["\\]/g, '\\$&')}"`;
    const json = JSON.stringify(buildOpenSearchQuery(parseQuery(`service:${quoted} ${quoted}`), {}));
    expect(json).not.toContain('query_string');
    const q = buildOpenSearchQuery(parseQuery(`service:${quoted}`), {}) as { bool: { filter: unknown[] } };
    expect(q.bool.filter[0]).toEqual({ term: { 'service.name': { value: evil } } });
  });

  it('matches any of several values and prefixes', () => {
    const q = buildOpenSearchQuery(parseQuery('level:WARN,error service:pay*'), {}) as {
      bool: { filter: unknown[] };
    };
    expect(q.bool.filter).toEqual([
      {
        bool: {
          filter: [
            { terms: { 'log.level': ['warn', 'error'] } },
            { prefix: { 'service.name': { value: 'pay' } } },
          ],
        },
      },
    ]);
  });

  it('tokenizes as the sluice_text analyzer does', () => {
    expect(textTokens('TimeoutError: café-au_lait 3.14')).toEqual([
      'timeouterror',
      'cafe',
      'au',
      'lait',
      '3',
      '14',
    ]);
  });

  it('passes numeric bounds on attributes to a script as parameters', () => {
    const json = JSON.stringify(buildOpenSearchQuery(parseQuery('attributes.http.status>=500'), {}));
    expect(json).toContain(
      '"params":{"keys":["attributes.attributes.http.status=","attributes.http.status="],"gte":500}',
    );
  });
});
