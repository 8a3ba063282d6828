import { EventEmitter, once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { captureLines } from '../test/factories/log-lines.js';
import {
  addTransactionFields,
  bindTransaction,
  currentTransaction,
  runInTransaction,
  startTransaction,
} from './context.js';
import { createLogger } from './logger.js';

function setup() {
  const sink = captureLines();
  const log = createLogger({ service: 'svc', level: 'trace' }, { destination: sink, env: {} });
  const txOf = () => sink.lines().map((l) => (l.transaction as { id: string } | undefined)?.id);
  return { sink, log, txOf };
}

describe('transaction context across async boundaries', () => {
  it('carries the transaction across await, setTimeout, promise chains and queueMicrotask', async () => {
    const { log, txOf } = setup();
    await runInTransaction({ id: 'tx-a' }, async () => {
      log.info('sync');
      await sleep(2);
      log.info('after await');
      await new Promise<void>((resolve) =>
        setTimeout(() => {
          log.info('in setTimeout');
          resolve();
        }, 1),
      );
      await Promise.resolve().then(() => log.info('in then'));
      await new Promise<void>((resolve) =>
        queueMicrotask(() => {
          log.info('in microtask');
          resolve();
        }),
      );
      setImmediate(() => log.info('in setImmediate'));
      await sleep(5);
    });
    expect(txOf()).toEqual(['tx-a', 'tx-a', 'tx-a', 'tx-a', 'tx-a', 'tx-a']);
  });

  it('leaves lines outside any transaction without one', async () => {
    const { log, sink } = setup();
    log.info('before');
    await runInTransaction({ id: 'tx-b' }, async () => log.info('inside'));
    log.info('after');
    const lines = sink.lines();
    expect(lines.map((l) => 'transaction' in l)).toEqual([false, true, false]);
    expect(currentTransaction()).toBeUndefined();
  });

  it('delivers the emitting transaction to event emitter listeners, and the bound one with bindTransaction', async () => {
    const { log, txOf } = setup();
    const emitter = new EventEmitter();
    runInTransaction({ id: 'tx-listener' }, () => {
      emitter.on('plain', () => log.info('plain listener'));
      emitter.on(
        'bound',
        bindTransaction(() => log.info('bound listener')),
      );
    });
    await runInTransaction({ id: 'tx-emitter' }, async () => {
      emitter.emit('plain');
      emitter.emit('bound');
      const waiting = once(emitter, 'later');
      setTimeout(() => emitter.emit('later'), 1);
      await waiting;
      log.info('after once');
    });
    emitter.emit('bound');
    expect(txOf()).toEqual(['tx-emitter', 'tx-listener', 'tx-emitter', 'tx-listener']);
  });

  it('keeps 50 concurrent units of work from bleeding into each other', async () => {
    const { log, sink } = setup();
    const child = log.child({ component: 'worker' });
    await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        runInTransaction({ id: `tx-${i}` }, async () => {
          for (let step = 0; step < 5; step++) {
            await sleep((i * 7 + step * 3) % 4);
            (step % 2 === 0 ? log : child).info({ unit: i, step }, 'step');
          }
        }),
      ),
    );
    const lines = sink.lines();
    expect(lines).toHaveLength(250);
    for (const line of lines) {
      expect((line.transaction as { id: string }).id).toBe(`tx-${line.unit as number}`);
    }
  });

  it('inherits id, trace and invocation in a nested unit, overrides what the seed gives, and startTransaction takes a new id', async () => {
    const faas = { execution: 'req-1', name: 'fn', coldstart: true };
    await runInTransaction({ id: 'outer', traceId: 'a'.repeat(32), traceFlags: '01', faas }, async () => {
      await runInTransaction({}, async () => {
        expect(currentTransaction()).toEqual({
          id: 'outer',
          traceId: 'a'.repeat(32),
          traceFlags: '01',
          faas,
        });
      });
      await runInTransaction({ id: 'inner', traceId: 'b'.repeat(32) }, async () => {
        expect(currentTransaction()).toEqual({ id: 'inner', traceId: 'b'.repeat(32), faas });
      });
      startTransaction(() => {
        const tx = currentTransaction();
        expect(tx?.id).not.toBe('outer');
        expect(tx?.faas).toEqual(faas);
        expect(tx?.traceId).toBe('a'.repeat(32));
      });
      expect(currentTransaction()?.id).toBe('outer');
    });
  });

  it('starts a fresh random id when no seed gives one', () => {
    const ids = new Set<string | undefined>();
    for (let i = 0; i < 20; i++) runInTransaction(undefined, () => ids.add(currentTransaction()?.id));
    expect(ids.size).toBe(20);
    for (const id of ids) expect(id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('adds business fields to every later line of the transaction only, across loggers', async () => {
    const { log, sink } = setup();
    const other = log.child({ part: 'db' });
    await runInTransaction({ id: 'tx-f' }, async () => {
      log.info('before');
      expect(addTransactionFields({ tenant: { id: 't-1' } })).toBe(true);
      await sleep(1);
      log.info('after');
      other.info('other logger');
    });
    await runInTransaction({ id: 'tx-g' }, async () => log.info('another transaction'));
    expect(addTransactionFields({ tenant: 'x' })).toBe(false);
    await runInTransaction({ id: 'tx-h' }, async () => {
      addTransactionFields({ tenant: 'kept' });
      await runInTransaction({}, async () => log.info('nested keeps fields'));
      startTransaction(() => log.info('new transaction drops them'));
    });
    expect(sink.lines().map((l) => l.tenant)).toEqual([
      undefined,
      { id: 't-1' },
      { id: 't-1' },
      undefined,
      'kept',
      undefined,
    ]);
  });
});
