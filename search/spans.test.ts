import { describe, expect, it } from 'vitest';
import { compileNormalizer } from '../transform/normalize.js';
import type { LogEvent } from '../transform/schema.js';
import { buildInvocations } from './spans.js';

const normalizer = compileNormalizer({ now: () => new Date('2026-01-01T12:01:00.000Z') });
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0);
let seq = 0;

/** A line as CloudWatch Logs delivers it from `/aws/lambda/<fn>` at T0 + `ms`, normalised. */
function line(fn: string, ms: number, message: string): LogEvent {
  seq += 1;
  return normalizer.event(
    { id: `ev-${String(seq).padStart(4, '0')}`, timestamp: T0 + ms, message },
    { logGroup: `/aws/lambda/${fn}`, logStream: '2026/01/01/[$LATEST]abc' },
  );
}

const R1 = '8f507cfc-0000-4697-b07a-ac58fc914c95';
const R2 = '57f231fb-1730-4395-85cb-4f71bd2b87b8';
const iso = (ms: number): string => new Date(T0 + ms).toISOString();

/** The text lines Lambda writes for one invocation, plus an application line in between. */
function textInvocation(fn: string, id: string, at: number, ms: number, init?: number): LogEvent[] {
  return [
    line(fn, at, `START RequestId: ${id} Version: $LATEST`),
    line(fn, at + 2, `${iso(at + 2)}\t${id}\tINFO\t{"message":"working","transaction_id":"tx-1"}`),
    line(fn, at + ms, `END RequestId: ${id}`),
    line(
      fn,
      at + ms,
      `REPORT RequestId: ${id}\tDuration: ${ms - 0.5} ms\tBilled Duration: ${ms} ms\tMemory Size: 512 MB\tMax Memory Used: 81 MB${
        init === undefined ? '' : `\tInit Duration: ${init} ms`
      }\t`,
    ),
  ];
}

describe('buildInvocations', () => {
  it('builds an invocation from text START/END/REPORT with duration, billed duration and memory', () => {
    const events = textInvocation('orders', R1, 100, 40);
    const [inv, ...rest] = buildInvocations(events);
    expect(rest).toEqual([]);
    expect(inv).toMatchObject({
      requestId: R1,
      service: 'orders',
      source: 'platform',
      start: T0 + 100,
      durationMs: 39.5,
      billedDurationMs: 40,
      memorySizeMb: 512,
      maxMemoryUsedMb: 81,
      coldStart: false,
      version: '$LATEST',
      status: 'ok',
      errors: 0,
      depth: 0,
    });
    expect(inv?.initDurationMs).toBeUndefined();
    expect(inv?.eventIds).toEqual(events.map((e) => e.event.id));
  });

  it('marks a cold start with the init duration from REPORT', () => {
    const [inv] = buildInvocations(textInvocation('payments', R1, 0, 25, 130.49));
    expect(inv).toMatchObject({ coldStart: true, initDurationMs: 130.49, status: 'ok' });
  });

  it('reads the JSON log format: platform.start, platform.runtimeDone and platform.report', () => {
    const json = (ms: number, type: string, record: object): LogEvent =>
      line('cart', ms, JSON.stringify({ time: iso(ms), type, record }));
    const events = [
      json(0, 'platform.start', { requestId: R2, version: '$LATEST' }),
      line('cart', 5, JSON.stringify({ timestamp: iso(5), level: 'INFO', requestId: R2, message: 'hello' })),
      json(20, 'platform.runtimeDone', { requestId: R2, status: 'success', metrics: { durationMs: 19.8 } }),
      json(21, 'platform.report', {
        requestId: R2,
        status: 'success',
        metrics: {
          durationMs: 20.1,
          billedDurationMs: 21,
          memorySizeMB: 128,
          maxMemoryUsedMB: 70,
          initDurationMs: 212.5,
        },
      }),
    ];
    const invs = buildInvocations(events);
    expect(invs).toHaveLength(1);
    expect(invs[0]).toMatchObject({
      requestId: R2,
      service: 'cart',
      source: 'platform',
      start: T0,
      durationMs: 20.1,
      billedDurationMs: 21,
      memorySizeMb: 128,
      maxMemoryUsedMb: 70,
      initDurationMs: 212.5,
      coldStart: true,
      status: 'ok',
    });
    expect(invs[0]?.eventIds).toHaveLength(4);
  });

  it('reports a START without END or REPORT as unfinished, ending at its last line', () => {
    const events = textInvocation('orders', R1, 0, 40).slice(0, 2);
    const [inv] = buildInvocations(events);
    expect(inv).toMatchObject({ source: 'platform', status: 'unfinished', start: T0, end: T0 + 2 });
    expect(inv?.durationMs).toBe(2);
  });

  it('marks a timeout from the "Task timed out" line and a REPORT with status timeout', () => {
    const events = [
      line('inventory', 0, `START RequestId: ${R1} Version: $LATEST`),
      line('inventory', 3000, `${iso(3000)} ${R1} Task timed out after 3.00 seconds`),
      line('inventory', 3001, `END RequestId: ${R1}`),
      line(
        'inventory',
        3001,
        `REPORT RequestId: ${R1}\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 60 MB\tStatus: timeout`,
      ),
    ];
    const [inv] = buildInvocations(events);
    expect(inv).toMatchObject({ status: 'timeout', durationMs: 3000, source: 'platform' });
    expect(inv?.errors).toBeGreaterThanOrEqual(1);
    // The REPORT status alone (no timed-out line ingested) is enough.
    const [only] = buildInvocations([events[0]!, events[3]!]);
    expect(only?.status).toBe('timeout');
  });

  it('keeps overlapping invocations of the same function apart by request id', () => {
    const a = textInvocation('orders', R1, 0, 100);
    const b = textInvocation('orders', R2, 30, 100);
    const invs = buildInvocations([...a, ...b].reverse());
    expect(invs.map((i) => i.requestId)).toEqual([R1, R2]);
    expect(invs[0]?.eventIds).toEqual(a.map((e) => e.event.id));
    expect(invs[1]?.eventIds).toEqual(b.map((e) => e.event.id));
    // Overlapping but not enclosed: both at the top level.
    expect(invs.map((i) => i.depth)).toEqual([0, 0]);
  });

  it('nests an invocation that runs inside another (a synchronous call) one level deeper', () => {
    const outer = textInvocation('api-gateway', R1, 0, 200);
    const inner = textInvocation('orders', R2, 20, 100);
    const invs = buildInvocations([...outer, ...inner]);
    expect(invs.map((i) => [i.service, i.depth])).toEqual([
      ['api-gateway', 0],
      ['orders', 1],
    ]);
  });

  it('splits a request id that Lambda retried (START … REPORT twice) into two attempts', () => {
    const first = textInvocation('worker', R1, 0, 50);
    const second = textInvocation('worker', R1, 60_000, 50);
    const invs = buildInvocations([...first, ...second]);
    expect(invs).toHaveLength(2);
    expect(invs.map((i) => i.start)).toEqual([T0, T0 + 60_000]);
  });

  it('falls back to first-to-last line bars marked log_lines where there are no platform lines', () => {
    const pino = (svc: string, ms: number, level: number, msg: string): LogEvent =>
      line(svc, ms, JSON.stringify({ level, time: T0 + ms, name: svc, msg, transaction_id: 'tx-1' }));
    const powertools = (ms: number, level: string): LogEvent =>
      line(
        'payments',
        ms,
        JSON.stringify({
          level,
          message: 'charging',
          timestamp: iso(ms),
          service: 'payments',
          cold_start: true,
          function_request_id: R2,
          correlation_id: 'tx-1',
        }),
      );
    const invs = buildInvocations([
      pino('orders', 10, 30, 'a'),
      pino('orders', 90, 50, 'b'),
      powertools(20, 'INFO'),
      powertools(60, 'ERROR'),
    ]);
    expect(invs).toEqual([
      expect.objectContaining({ service: 'orders', source: 'log_lines', start: T0 + 10, end: T0 + 90 }),
      expect.objectContaining({
        service: 'payments',
        requestId: R2,
        source: 'log_lines',
        durationMs: 40,
        coldStart: true,
        status: 'error',
        errors: 1,
      }),
    ]);
    expect(invs[0]?.requestId).toBeUndefined();
    expect(invs[0]?.status).toBe('error');
  });

  it('takes the service from the application lines, not the platform lines of the log group', () => {
    const events = [
      line('payments-fn', 0, `START RequestId: ${R1} Version: 7`),
      line(
        'payments-fn',
        4,
        JSON.stringify({ level: 'INFO', message: 'm', service: 'payments', function_request_id: R1 }),
      ),
      line('payments-fn', 9, `END RequestId: ${R1}`),
    ];
    const [inv] = buildInvocations(events);
    expect(inv).toMatchObject({ service: 'payments', version: '7', status: 'ok', end: T0 + 9 });
  });

  it('gives nothing for no events', () => {
    expect(buildInvocations([])).toEqual([]);
  });
});
