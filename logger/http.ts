import type { IncomingMessage, ServerResponse } from 'node:http';
import { currentTransaction, runInTransaction } from './context.js';
import { TRANSACTION_HEADER, transactionFromHeaders } from './extract.js';

/** Options of the HTTP helpers. */
export interface HttpTransactionOptions {
  /** Echo the transaction id to the caller in the `x-transaction-id` response header. Default `true`. */
  readonly responseHeader?: boolean;
}

/**
 * Wraps a node:http request listener so each request runs in its own transaction, read from the
 * request headers (`x-transaction-id`, `traceparent`) or started fresh.
 * ```ts
 * http.createServer(withHttpTransaction((req, res) => { log.info('hello'); res.end('ok'); }));
 * ```
 */
export function withHttpTransaction<Req extends IncomingMessage, Res extends ServerResponse>(
  listener: (req: Req, res: Res) => unknown,
  options: HttpTransactionOptions = {},
): (req: Req, res: Res) => unknown {
  const middleware = transactionMiddleware<Req, Res>(options);
  return (req, res) => {
    let result: unknown;
    middleware(req, res, () => {
      result = listener(req, res);
    });
    return result;
  };
}

/**
 * Framework-neutral `(req, res, next)` middleware (Express, Connect, Polka, …): runs the rest of
 * the chain in the request's transaction. Register it first.
 */
export function transactionMiddleware<Req extends IncomingMessage, Res extends ServerResponse>(
  options: HttpTransactionOptions = {},
): (req: Req, res: Res, next: (err?: unknown) => void) => void {
  const echo = options.responseHeader ?? true;
  return (req, res, next) => {
    runInTransaction(transactionFromHeaders(req.headers), () => {
      if (echo && !res.headersSent) {
        const id = currentTransaction()?.id;
        if (id !== undefined) res.setHeader(TRANSACTION_HEADER, id);
      }
      next();
    });
  };
}
