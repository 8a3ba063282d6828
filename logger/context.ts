import { AsyncLocalStorage } from 'node:async_hooks';
import { contextBindings as bindingsOf } from './format.js';
import { newTransactionId } from './ids.js';

/** What the logger knows about the Lambda invocation a line belongs to (`faas.*` in the schema). */
export interface FaasInfo {
  /** The Lambda request id (`faas.execution`). */
  readonly execution?: string;
  /** The function name (`faas.name`). */
  readonly name?: string;
  /** True on the first invocation of an execution environment (`faas.coldstart`). */
  readonly coldstart?: boolean;
}

/** The unit of work every line carries while it runs. */
export interface TransactionInfo {
  /** `transaction.id`: read from the caller, or started here. */
  readonly id: string;
  /** `trace.id`: W3C (32 hex) or X-Ray (`1-…-…`) trace id, when known. */
  readonly traceId?: string;
  /** W3C trace flags of the incoming `traceparent`, used when propagating it. */
  readonly traceFlags?: string;
  /** The Lambda invocation, when running inside the Lambda wrapper. */
  readonly faas?: FaasInfo;
}

/** What is known when a unit of work starts; every part is optional (see {@link runInTransaction}). */
export interface TransactionSeed {
  readonly id?: string | undefined;
  readonly traceId?: string | undefined;
  readonly traceFlags?: string | undefined;
  readonly faas?: FaasInfo | undefined;
}

/**
 * The per-unit-of-work state. `loggers` caches, for each base pino logger, its child carrying
 * `bindings`, so a line costs one map lookup and the context is serialised once per transaction.
 * @internal
 */
export interface TransactionStore {
  readonly info: TransactionInfo;
  /** Business fields added with {@link addTransactionFields}. */
  fields: Readonly<Record<string, unknown>>;
  /** Everything bound to each line: `fields`, then `transaction`, `trace`, `faas`. */
  bindings: Readonly<Record<string, unknown>>;
  readonly loggers: Map<object, unknown>;
}

const storage = new AsyncLocalStorage<TransactionStore>();

/**
 * Runs `fn` as a unit of work: every line logged inside it — across `await`, timers, promises and
 * event emitters created inside — carries the transaction. Inside another transaction, what the
 * seed leaves out is inherited from it (id, trace, Lambda invocation, added fields); outside, a
 * missing id is a fresh random one. Returns what `fn` returns.
 */
export function runInTransaction<T>(seed: TransactionSeed | undefined, fn: () => T): T {
  return run(seed, fn, true);
}

/**
 * Runs `fn` in a new transaction with a fresh id. It keeps the trace and the Lambda invocation it
 * runs in, but not the fields added to the enclosing transaction.
 */
export function startTransaction<T>(fn: () => T): T {
  return run({ id: newTransactionId() }, fn, false);
}

function run<T>(seed: TransactionSeed | undefined, fn: () => T, inheritFields: boolean): T {
  const parent = storage.getStore();
  const p = parent?.info;
  const faas = seed?.faas ?? p?.faas;
  const ownTrace = seed?.traceId !== undefined;
  const traceId = ownTrace ? seed?.traceId : p?.traceId;
  const traceFlags = ownTrace ? seed?.traceFlags : p?.traceFlags;
  const info: TransactionInfo = {
    id: seed?.id ?? p?.id ?? newTransactionId(),
    ...(traceId !== undefined && { traceId }),
    ...(traceFlags !== undefined && { traceFlags }),
    ...(faas !== undefined && { faas }),
  };
  const fields = (inheritFields && parent?.fields) || {};
  const store: TransactionStore = { info, fields, bindings: bindingsOf(info, fields), loggers: new Map() };
  return storage.run(store, fn);
}

/** The transaction of the code running now, or `undefined` outside any. */
export function currentTransaction(): TransactionInfo | undefined {
  return storage.getStore()?.info;
}

/**
 * Adds business fields (e.g. `{ tenant: { id } }`) to every line logged from now on in the current
 * transaction, by every logger. Returns `false` (and does nothing) outside a transaction.
 */
export function addTransactionFields(fields: Readonly<Record<string, unknown>>): boolean {
  const store = storage.getStore();
  if (store === undefined) return false;
  store.fields = { ...store.fields, ...fields };
  store.bindings = bindingsOf(store.info, store.fields);
  store.loggers.clear();
  return true;
}

/**
 * Returns `fn` bound to the current transaction: when called later from anywhere (an event
 * emitter's listener, a callback queue, a connection pool), it runs in this transaction.
 */
export function bindTransaction<F extends (...args: never[]) => unknown>(fn: F): F {
  return AsyncLocalStorage.bind(fn);
}

/** @internal The store of the running unit of work (used by the logger on each line). */
export function transactionStore(): TransactionStore | undefined {
  return storage.getStore();
}
