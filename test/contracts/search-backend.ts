import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseQuery } from '../../search/query.js';
import type { SortSpec } from '../../search/sort.js';
import type { SearchBackend } from '../../search/types.js';
import type { LogEvent } from '../../transform/schema.js';
import { logEvent, searchFixture, T0 } from '../factories/search-events.js';

/** A backend under test, loaded with the given events, and how to add more and release it. */
export interface BackendFixture {
  readonly backend: SearchBackend;
  /** Stores more events and makes them searchable (refresh on OpenSearch). */
  add(events: readonly LogEvent[]): Promise<void>;
  dispose(): Promise<void>;
}

const range = { from: T0 - 60_000, to: T0 + 120_000 };
const ids = (events: readonly LogEvent[]): string[] => events.map((e) => e.event.id);

/**
 * The behaviour every {@link SearchBackend} must have, run against SQLite (unit) and a real
 * OpenSearch node (integration) with the same fixture and the same expectations.
 */
export function describeSearchBackend(
  name: string,
  make: (events: readonly LogEvent[]) => Promise<BackendFixture>,
): void {
  describe(`search backend contract: ${name}`, () => {
    let fx: BackendFixture;
    beforeAll(async () => {
      fx = await make(searchFixture());
    });
    afterAll(async () => {
      await fx?.dispose();
    });
    const search = (q: string, extra: { limit?: number; offset?: number; from?: number; to?: number } = {}) =>
      fx.backend.search({
        query: parseQuery(q),
        limit: extra.limit ?? 50,
        offset: extra.offset ?? 0,
        ...range,
        ...extra,
        buckets: 12,
      });

    it('returns every event in the range newest first when the query is empty', async () => {
      const r = await search('');
      expect(r.total).toBe(10);
      expect(ids(r.events)).toEqual(['e10', 'e09', 'e08', 'e07', 'e06', 'e05', 'e04', 'e03', 'e02', 'e01']);
    });

    it.each([
      ['service.name:orders', ['e07', 'e04', 'e02']],
      ['service:orders level:warn', ['e04']],
      ['level:error,fatal', ['e10', 'e03']],
      ['-service:api-gateway -service:orders', ['e10', 'e09', 'e08', 'e03']],
      ['transaction.id:tx-beta', ['e08', 'e07', 'e06']],
      ['declined', ['e03']],
      ['"request received" POST', ['e06', 'e01']],
      // A bare word matches tokens that start with it: `order` finds "orders" too.
      ['order -unpaid', ['e07', 'e06', 'e02', 'e01']],
      ['insufficient', ['e03']],
      ['pay*', ['e08', 'e03']],
      ['attributes.order_id:ord-1', ['e03', 'e02']],
      ['attributes.amount:42', ['e02']],
      ['attributes.vip:true', ['e02']],
      ['attributes.http.status:201', ['e01']],
      ['service:pay*', ['e10', 'e08', 'e03']],
      ['message:"order created"', ['e07', 'e02']],
      ['"quoted"', ['e09']],
      ['error.type:CardDeclinedError', ['e03']],
      ['NOT level:info', ['e10', 'e09', 'e04', 'e03']],
      ['nothing-matches-this-word', []],
    ])('finds %s', async (q, expected) => {
      const r = await search(q);
      expect(ids(r.events)).toEqual(expected);
      expect(r.total).toBe(expected.length);
    });

    it('treats query syntax characters in values as plain text (no injection)', async () => {
      for (const q of [
        'service:"orders\' OR 1=1 --"',
        'message:"a) OR (b"',
        '"NEAR(a b)"',
        `"x'); DROP TABLE events; --"`,
      ]) {
        const r = await search(q);
        expect(r.total).toBe(0);
      }
      expect((await search('')).total).toBe(10);
    });

    it('pages with limit and offset', async () => {
      const r = await search('', { limit: 3, offset: 3 });
      expect(ids(r.events)).toEqual(['e07', 'e06', 'e05']);
      expect(r.total).toBe(10);
    });

    it('restricts to the time range (from inclusive, to exclusive)', async () => {
      const r = await search('', { from: T0 + 3000, to: T0 + 21_000 });
      expect(ids(r.events)).toEqual(['e06', 'e05', 'e04', 'e03']);
    });

    it('counts facets for service and level over the matching events', async () => {
      const r = await search('-service:inventory');
      expect(r.facets.service).toEqual([
        { value: 'api-gateway', count: 3 },
        { value: 'orders', count: 3 },
        { value: 'payments', count: 3 },
      ]);
      expect(r.facets.level).toEqual([
        { value: 'info', count: 6 },
        { value: 'error', count: 1 },
        { value: 'fatal', count: 1 },
        { value: 'warn', count: 1 },
      ]);
    });

    it('buckets a histogram over the whole range with error counts, zeros included', async () => {
      const r = await search('', { from: T0, to: T0 + 60_000 });
      expect(r.histogram.intervalMs).toBe(5000);
      expect(r.histogram.buckets).toHaveLength(12);
      expect(r.histogram.buckets[0]).toEqual({ start: T0, count: 4, errors: 1 });
      expect(r.histogram.buckets[1]).toEqual({ start: T0 + 5000, count: 0, errors: 0 });
      expect(r.histogram.buckets[8]).toEqual({ start: T0 + 40_000, count: 1, errors: 1 });
      expect(r.histogram.buckets.reduce((n, b) => n + b.count, 0)).toBe(10);
    });

    it('returns a whole transaction across services in time order with a summary', async () => {
      const t = await fx.backend.trace('tx-alpha');
      expect(ids(t.events)).toEqual(['e01', 'e02', 'e03', 'e04']);
      expect(t.truncated).toBe(false);
      expect(t.summary.services.map((s) => s.service)).toEqual(['api-gateway', 'orders', 'payments']);
      expect(t.summary.errorCount).toBe(1);
      expect(t.summary.durationMs).toBe(4000);
      expect(t.summary.gaps[0]).toEqual({ after: T0 + 1000, durationMs: 2000 });
      expect((await fx.backend.trace('tx-none')).events).toEqual([]);
    });

    it('tails: no events for a fresh cursor, then only new matching events once', async () => {
      const first = await fx.backend.tail(parseQuery('service:orders'), undefined);
      expect(first.events).toEqual([]);
      const now = Date.now();
      await fx.add([
        logEvent('t1', now, 'orders', 'info', 'tail one', {
          event: { id: 't1', ingested: new Date(now).toISOString() },
        }),
        logEvent('t2', now + 1, 'payments', 'info', 'tail two', {
          event: { id: 't2', ingested: new Date(now + 1).toISOString() },
        }),
        logEvent('t3', now + 2, 'orders', 'error', 'tail three', {
          event: { id: 't3', ingested: new Date(now + 2).toISOString() },
        }),
      ]);
      const second = await fx.backend.tail(parseQuery('service:orders'), first.cursor);
      expect(ids(second.events)).toEqual(['t1', 't3']);
      const third = await fx.backend.tail(parseQuery('service:orders'), second.cursor);
      expect(third.events).toEqual([]);
    });

    it('rejects an empty time range', async () => {
      await expect(search('', { from: T0, to: T0 })).rejects.toThrow(/expected from < to/);
    });

    it('sorts oldest first on request, and pages on with a cursor to the last page', async () => {
      const asc = await fx.backend.search({
        query: parseQuery(''),
        limit: 4,
        offset: 0,
        ...range,
        sort: 'asc',
      });
      expect(ids(asc.events)).toEqual(['e01', 'e02', 'e03', 'e04']);
      const seen = [...ids(asc.events)];
      let next = asc.next;
      while (next) {
        const p = await fx.backend.page({
          query: parseQuery(''),
          limit: 4,
          ...range,
          sort: 'asc',
          after: next,
        });
        seen.push(...ids(p.events));
        next = p.next;
      }
      expect(seen).toEqual(['e01', 'e02', 'e03', 'e04', 'e05', 'e06', 'e07', 'e08', 'e09', 'e10']);
      const desc = await search('-service:orders', { limit: 3 });
      expect(ids(desc.events)).toEqual(['e10', 'e09', 'e08']);
      const p2 = await fx.backend.page({
        query: parseQuery('-service:orders'),
        limit: 5,
        ...range,
        after: desc.next,
      });
      expect(ids(p2.events)).toEqual(['e06', 'e05', 'e03', 'e01']);
      expect(p2.next).toBeUndefined();
    });

    it('refuses a cursor of the other sort order or a forged one', async () => {
      const desc = await search('', { limit: 2 });
      await expect(
        fx.backend.page({ query: parseQuery(''), limit: 2, ...range, sort: 'asc', after: desc.next }),
      ).rejects.toThrow(/bad page cursor .*sort=desc/);
      await expect(
        fx.backend.page({ query: parseQuery(''), limit: 2, ...range, after: 'e30=' }),
      ).rejects.toThrow(/bad page cursor/);
    });

    it('finds an event with its neighbours from the same log group and stream, oldest first', async () => {
      // Every fixture event has the same stream name; the log group is per service.
      const c = await fx.backend.context('e07', 5);
      expect(c?.event.event.id).toBe('e07');
      expect(c?.scope).toEqual({
        'aws.cloudwatch.log_group': '/aws/lambda/orders',
        'aws.cloudwatch.log_stream': '2026/01/01/[$LATEST]abc',
      });
      expect(ids(c?.before ?? [])).toEqual(['e02', 'e04']);
      expect(ids(c?.after ?? [])).toEqual([]);
      const g = await fx.backend.context('e05', 1);
      expect(ids(g?.before ?? [])).toEqual(['e01']);
      expect(ids(g?.after ?? [])).toEqual(['e06']);
      expect(await fx.backend.context('no-such-event', 5)).toBeUndefined();
    });

    /** Every page of a sorted list, `limit` at a time, through the cursors. */
    const allPages = async (
      q: string,
      sortBy: SortSpec,
      limit: number,
      r: { from: number; to: number } = range,
    ): Promise<{ ids: string[]; pages: number }> => {
      const first = await fx.backend.search({ query: parseQuery(q), limit, offset: 0, ...r, sortBy });
      const seen = [...ids(first.events)];
      let next = first.next;
      let pages = 1;
      while (next) {
        const p = await fx.backend.page({ query: parseQuery(q), limit, ...r, sortBy, after: next });
        seen.push(...ids(p.events));
        next = p.next;
        pages += 1;
      }
      return { ids: seen, pages };
    };

    it.each([
      // by name; a service's events newest first
      [
        { field: 'service.name', order: 'asc' },
        ['e06', 'e05', 'e01', 'e09', 'e07', 'e04', 'e02', 'e10', 'e08', 'e03'],
      ],
      [
        { field: 'service.name', order: 'desc' },
        ['e10', 'e08', 'e03', 'e07', 'e04', 'e02', 'e09', 'e06', 'e05', 'e01'],
      ],
      // by severity, not by name
      [
        { field: 'log.level', order: 'desc' },
        ['e10', 'e03', 'e04', 'e08', 'e07', 'e06', 'e05', 'e02', 'e01', 'e09'],
      ],
      [
        { field: 'log.level', order: 'asc' },
        ['e09', 'e08', 'e07', 'e06', 'e05', 'e02', 'e01', 'e04', 'e03', 'e10'],
      ],
    ] as const)(
      'sorts by %o, ties newest first, and pages through every event once',
      async (sortBy, want) => {
        for (const limit of [1, 3, 4, 10]) {
          const got = await allPages('', sortBy, limit);
          expect(got.ids, `limit ${limit}`).toEqual(want);
          expect(got.pages).toBe(Math.ceil(want.length / limit));
        }
        // the query still applies
        expect((await allPages('-service:orders', sortBy, 2)).ids).toEqual(
          want.filter((id) => !['e02', 'e04', 'e07'].includes(id)),
        );
      },
    );

    it("keeps a field-sorted page cursor stable while events are stored, and refuses another sort's cursor", async () => {
      const wide = { from: range.from, to: T0 + 200_000 };
      const sortBy = { field: 'service.name', order: 'asc' } as const;
      const first = await fx.backend.search({ query: parseQuery(''), limit: 2, offset: 0, ...wide, sortBy });
      expect(ids(first.events)).toEqual(['e06', 'e05']);
      // newer than every event: first of its service, so before the cursor; and one of a new service
      await fx.add([
        logEvent('s01', T0 + 150_000, 'api-gateway', 'info', 'a newer gateway event'),
        logEvent('s02', T0 + 150_001, 'billing', 'info', 'a new service'),
      ]);
      const second = await fx.backend.page({
        query: parseQuery(''),
        limit: 3,
        ...wide,
        sortBy,
        after: first.next,
      });
      expect(ids(second.events)).toEqual(['e01', 's02', 'e09']);
      await expect(
        fx.backend.page({
          query: parseQuery(''),
          limit: 2,
          ...wide,
          sortBy: { field: 'log.level', order: 'asc' },
          after: first.next,
        }),
      ).rejects.toThrow(/bad page cursor .*sort=service.name:asc/);
      await expect(
        fx.backend.page({
          query: parseQuery(''),
          limit: 2,
          ...wide,
          sortBy,
          after: (await search('', { limit: 2 })).next,
        }),
      ).rejects.toThrow(/bad page cursor/);
    });

    it('sorts by a number, events without it last, ties newest first', async () => {
      const at = T0 + 300_000;
      const report = (id: string, ms: number, duration?: number): LogEvent =>
        logEvent(id, at + ms, 'orders', 'info', `REPORT ${id}`, {
          ...(duration === undefined
            ? {}
            : { lambda: { platform: 'report', report: { duration_ms: duration } } }),
        });
      await fx.add([
        report('d1', 0, 120.5),
        report('d2', 1, 3000),
        report('d3', 2, 7.25),
        report('d4', 3, 120.5),
        report('d5', 4),
        report('d6', 5, 45),
        report('d7', 6),
      ]);
      const r = { from: at, to: at + 1000 };
      const desc = { field: 'lambda.report.duration_ms', order: 'desc' } as const;
      const asc = { field: 'lambda.report.duration_ms', order: 'asc' } as const;
      for (const limit of [1, 2, 3, 7]) {
        expect((await allPages('', desc, limit, r)).ids).toEqual(['d2', 'd4', 'd1', 'd6', 'd3', 'd7', 'd5']);
        expect((await allPages('', asc, limit, r)).ids).toEqual(['d3', 'd6', 'd4', 'd1', 'd2', 'd7', 'd5']);
      }
    });

    it('keeps a page cursor stable while newer events are stored', async () => {
      const first = await search('', { limit: 3 });
      expect(ids(first.events)).toEqual(['e10', 'e09', 'e08']);
      await fx.add([logEvent('n01', T0 + 50_000, 'orders', 'info', 'a newer event')]);
      const second = await fx.backend.page({ query: parseQuery(''), limit: 3, ...range, after: first.next });
      expect(ids(second.events)).toEqual(['e07', 'e06', 'e05']);
      // An offset would have shifted: the new event pushes e08 onto "page 2".
      expect(ids((await search('', { limit: 3, offset: 3 })).events)).toEqual(['e08', 'e07', 'e06']);
    });
  });
}
