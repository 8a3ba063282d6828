import {
  type DemoError,
  type DemoLevel,
  lambdaTextLine,
  pinoLine,
  platformLines,
  powertoolsLine,
} from './lines.js';

/** One log line as a component wrote it, with where CloudWatch Logs would have put it. */
export interface DemoLine {
  readonly logGroup: string;
  readonly logStream: string;
  readonly at: number;
  readonly message: string;
}

const CUSTOMERS = [
  'alice.martin@example.com',
  'bob.k@example.org',
  'chen.wei@example.net',
  'dana@example.com',
  'eve.r@example.io',
];
const SKUS = ['SKU-1042', 'SKU-2210', 'SKU-3307', 'SKU-4481', 'SKU-5120'];
const CARDS = ['4111 1111 1111 1111', '5500 0000 0000 0004', '4012888888881881'];

const hex = (rng: () => number, n: number): string =>
  Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join('');
const uuid = (rng: () => number): string =>
  `${hex(rng, 8)}-${hex(rng, 4)}-4${hex(rng, 3)}-a${hex(rng, 3)}-${hex(rng, 12)}`;
const pick = <T>(rng: () => number, xs: readonly T[]): T => xs[Math.floor(rng() * xs.length)]!;

function stack(type: string, message: string, frames: readonly string[]): string {
  return [`${type}: ${message}`, ...frames.map((f) => `    at ${f}`)].join('\n');
}

const declined = (): DemoError => ({
  type: 'CardDeclinedError',
  message: 'card declined by issuer: insufficient_funds',
  stack: stack('CardDeclinedError', 'card declined by issuer: insufficient_funds', [
    'chargeCard (file:///var/task/payments/charge.mjs:57:13)',
    'async processPayment (file:///var/task/payments/handler.mjs:31:20)',
    'async Runtime.handler (file:///var/task/index.mjs:12:5)',
  ]),
});
const timeout = (): DemoError => ({
  type: 'TimeoutError',
  message: 'stock service did not answer within 800 ms',
  stack: stack('TimeoutError', 'stock service did not answer within 800 ms', [
    'reserve (/var/task/inventory/stock.js:88:11)',
    'process.processTicksAndRejections (node:internal/process/task_queues:95:5)',
    'async Runtime.handler (/var/task/index.js:20:3)',
  ]),
});

/** How one transaction goes: its id and outcome (for tests and the demo's own summary). */
export interface DemoTransaction {
  readonly transactionId: string;
  readonly outcome: 'ok' | 'payment_declined' | 'inventory_timeout' | 'health_check';
  readonly lines: readonly DemoLine[];
}

/**
 * One checkout across the services, starting at `start` (epoch ms): api-gateway → orders →
 * payments → inventory → notifications, each a Lambda invocation with START/END/REPORT lines,
 * the transaction id propagated (`transaction_id` in pino lines, `correlation_id` in Powertools,
 * inside the JSON message in the Lambda text format) and the request id on every line (pino lines
 * carry `awsRequestId`, as pino-lambda writes it), so platform lines link to the transaction. About one in ten payments is declined, one
 * in twenty inventory calls times out (errors with stack traces). Planted personal data: customer
 * emails, card numbers and a bearer token. Pure and deterministic for a given `rng`.
 */
export function checkout(rng: () => number, start: number): DemoTransaction {
  const tx = uuid(rng);
  const lines: DemoLine[] = [];
  let t = start;
  const stream = (svc: string): string => `2026/01/01/[$LATEST]${hex(rng, 8)}${svc.length}`;
  /** Request ids of the invocations running now, innermost last (pino lines carry the innermost). */
  const invocations: string[] = [];
  const invoke = (svc: string, body: (at: () => number, requestId: string) => void): void => {
    const group = `/aws/lambda/${svc}`;
    const logStream = stream(svc);
    const requestId = uuid(rng);
    const begin = t;
    const cold = rng() < 0.1;
    const p = platformLines({
      requestId,
      durationMs: 0,
      memoryMb: 512,
      maxMemoryMb: 0,
    });
    lines.push({ logGroup: group, logStream, at: t, message: p.start });
    const at = (): number => {
      t += 1 + Math.floor(rng() * 40);
      return t;
    };
    const mark = lines.length;
    invocations.push(requestId);
    body(at, requestId);
    invocations.pop();
    for (let i = mark; i < lines.length; i++)
      if (lines[i]!.logGroup === '') Object.assign(lines[i]!, { logGroup: group, logStream });
    const end = at();
    const done = platformLines({
      requestId,
      durationMs: end - begin + rng(),
      memoryMb: 512,
      maxMemoryMb: 70 + Math.floor(rng() * 60),
      initMs: cold ? 180 + rng() * 200 : undefined,
    });
    lines.push({ logGroup: group, logStream, at: end, message: done.end });
    lines.push({ logGroup: group, logStream, at: end, message: done.report });
  };
  const emit = (at: number, message: string): void =>
    void lines.push({ logGroup: '', logStream: '', at, message });
  /** A pino line of `service`, written at the scenario's current time `t`. */
  const pino = (
    at: number,
    service: string,
    level: DemoLevel,
    msg: string,
    fields: Record<string, unknown>,
  ): void =>
    emit(
      at,
      pinoLine({ at: t, level, service, msg, fields: { awsRequestId: invocations.at(-1), ...fields } }),
    );

  const customer = pick(rng, CUSTOMERS);
  const orderId = `ord-${hex(rng, 6)}`;
  const amount = Math.round((5 + rng() * 300) * 100) / 100;
  const sku = pick(rng, SKUS);
  const failPayment = rng() < 0.1;
  const failInventory = !failPayment && rng() < 0.05;
  const xray = `1-${Math.floor(start / 1000).toString(16)}-${hex(rng, 24)}`;
  let status = 201;

  invoke('api-gateway', (at) => {
    pino(at(), 'api-gateway', 'info', 'request received', {
      transaction_id: tx,
      http: {
        method: 'POST',
        path: '/v1/orders',
        headers: {
          authorization: `Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI${hex(rng, 10)}In0.${hex(rng, 22)}`,
          'user-agent': 'shop-web/3.2',
        },
      },
    });
    invoke('orders', (at2) => {
      pino(at2(), 'orders', 'info', `creating order for ${customer}`, {
        transaction_id: tx,
        order_id: orderId,
        items: [{ sku, qty: 1 + Math.floor(rng() * 3) }],
      });
      invoke('payments', (at3, rid3) => {
        const base = { service: 'payments', requestId: rid3, coldStart: rng() < 0.1, xrayTraceId: xray };
        emit(
          at3(),
          powertoolsLine({
            ...base,
            at: t,
            level: 'info',
            msg: `charging card ${pick(rng, CARDS)} for ${amount} EUR`,
            fields: { correlation_id: tx, order_id: orderId, amount },
          }),
        );
        if (failPayment) {
          t += 300 + Math.floor(rng() * 900); // the issuer is slow to say no: a visible gap
          emit(
            at3(),
            powertoolsLine({
              ...base,
              at: t,
              level: 'error',
              msg: 'payment failed',
              fields: { correlation_id: tx, order_id: orderId },
              err: declined(),
            }),
          );
        } else
          emit(
            at3(),
            powertoolsLine({
              ...base,
              at: t,
              level: 'info',
              msg: 'payment captured',
              fields: { correlation_id: tx, order_id: orderId, amount },
            }),
          );
      });
      if (failPayment) {
        status = 402;
        pino(at2(), 'orders', 'warn', 'order left unpaid', { transaction_id: tx, order_id: orderId });
        return;
      }
      invoke('inventory', (at4, rid4) => {
        const body = { message: `reserving ${sku}`, transaction_id: tx, sku };
        emit(at4(), lambdaTextLine({ at: t, level: 'info', requestId: rid4, text: JSON.stringify(body) }));
        if (failInventory) {
          t += 800;
          const e = timeout();
          emit(
            at4(),
            lambdaTextLine({
              at: t,
              level: 'error',
              requestId: rid4,
              text: JSON.stringify({
                message: 'stock reservation failed',
                transaction_id: tx,
                sku,
                error: { name: e.type, message: e.message, stack: e.stack },
              }),
            }),
          );
        } else
          emit(
            at4(),
            lambdaTextLine({
              at: t,
              level: 'info',
              requestId: rid4,
              text: JSON.stringify({
                message: 'stock reserved',
                transaction_id: tx,
                sku,
                remaining: Math.floor(rng() * 500),
              }),
            }),
          );
      });
      if (failInventory) {
        status = 503;
        pino(at2(), 'orders', 'error', 'order failed: inventory unavailable', {
          transaction_id: tx,
          order_id: orderId,
        });
        return;
      }
      pino(at2(), 'orders', 'info', 'order confirmed', {
        transaction_id: tx,
        order_id: orderId,
        total: amount,
      });
      invoke('notifications', (at5) => {
        pino(at5(), 'notifications', 'info', `sending order confirmation to ${customer}`, {
          transaction_id: tx,
          template: 'order-confirmed',
        });
        pino(at5(), 'notifications', 'debug', 'email queued', { transaction_id: tx, provider: 'ses' });
      });
    });
    pino(
      at(),
      'api-gateway',
      status >= 500 ? 'error' : status >= 400 ? 'warn' : 'info',
      'request completed',
      {
        transaction_id: tx,
        http: { method: 'POST', path: '/v1/orders', status },
        duration_ms: t - start,
      },
    );
  });
  const outcome = failPayment ? 'payment_declined' : failInventory ? 'inventory_timeout' : 'ok';
  return { transactionId: tx, outcome, lines };
}

/** A load balancer health check on the gateway (dropped by the start rules' `drop-health-checks`). */
export function healthCheck(rng: () => number, at: number): DemoTransaction {
  const line = pinoLine({
    at,
    level: 'info',
    service: 'api-gateway',
    msg: 'health check',
    fields: { http: { method: 'GET', path: '/health', status: 200 } },
  });
  return {
    transactionId: '',
    outcome: 'health_check',
    lines: [
      {
        logGroup: '/aws/lambda/api-gateway',
        logStream: `2026/01/01/[$LATEST]${hex(rng, 8)}`,
        at,
        message: line,
      },
    ],
  };
}
