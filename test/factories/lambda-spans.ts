import { samples as platformSamples } from '../../transform/families/lambda-platform.samples.js';

/** The corpus line (AWS Lambda docs) of a cold-start REPORT: 15.74 ms, billed 16, Init Duration 130.49. */
const COLD_REPORT = platformSamples.find((s) => s.name === 'REPORT whose separators are spaces')!.line;
export const R_PAY = '8f507cfc-xmpl-4697-b07a-ac58fc914c95'; // the request id of that corpus line
export const R_GW = '4ce9340a-b765-490f-ad8a-02ab3415e2bf';
export const R_INV = 'd783b35e-a91d-4251-af17-035953428a2c';
export const R_BATCH = '1fa87a52-03db-478f-9b7e-92ce62d445cd';
export const R_OTHER = '6bc28136-0000-4365-b021-0ce6b2e64ab0';

/** One CloudWatch log event: its time as an offset from the checkout's start, and its message. */
export type Line = readonly [offsetMs: number, message: string];

/**
 * The CloudWatch Logs lines of one checkout, as Lambda and the components write them: the gateway
 * (Node.js text format, text START/END/REPORT), payments (Powertools JSON; the corpus REPORT line of
 * a cold start), inventory (Lambda JSON log format: platform.start, a `Task timed out` line and a
 * platform.report with status timeout), orders (pino lines only, no request id), a batch worker
 * whose one invocation served two transactions, and an unrelated invocation.
 */
export function lambdaCheckout(T: number, tx: string, other: string): Record<string, readonly Line[]> {
  const iso = (ms: number): string => new Date(T + ms).toISOString();
  const json = (ms: number, type: string, record: object): Line => [
    ms,
    JSON.stringify({ time: iso(ms), type, record }),
  ];
  const text = (ms: number, id: string, level: string, body: object): Line => [
    ms,
    `${iso(ms)}\t${id}\t${level}\t${JSON.stringify(body)}`,
  ];
  return {
    'api-gateway': [
      [0, `START RequestId: ${R_GW} Version: $LATEST`],
      text(3, R_GW, 'INFO', { message: 'request received', transaction_id: tx }),
      text(395, R_GW, 'INFO', { message: 'request completed', transaction_id: tx }),
      [400, `END RequestId: ${R_GW}`],
      [
        400,
        `REPORT RequestId: ${R_GW}\tDuration: 399.12 ms\tBilled Duration: 400 ms\tMemory Size: 256 MB\tMax Memory Used: 91 MB\t`,
      ],
    ],
    orders: [
      [
        10,
        JSON.stringify({
          level: 30,
          time: T + 10,
          name: 'orders',
          msg: 'creating order',
          transaction_id: tx,
        }),
      ],
      [
        380,
        JSON.stringify({
          level: 30,
          time: T + 380,
          name: 'orders',
          msg: 'order confirmed',
          transaction_id: tx,
        }),
      ],
    ],
    payments: [
      [20, `START RequestId: ${R_PAY} Version: 12`],
      [
        25,
        JSON.stringify({
          level: 'INFO',
          message: 'charging card',
          timestamp: iso(25),
          service: 'payments',
          cold_start: true,
          function_request_id: R_PAY,
          correlation_id: tx,
        }),
      ],
      [36, `END RequestId: ${R_PAY}`],
      [36, COLD_REPORT],
    ],
    inventory: [
      json(50, 'platform.start', { requestId: R_INV, version: '$LATEST' }),
      text(55, R_INV, 'INFO', { message: 'reserving stock', transaction_id: tx }),
      [3050, `${iso(3050)} ${R_INV} Task timed out after 3.00 seconds`],
      json(3051, 'platform.report', {
        requestId: R_INV,
        status: 'timeout',
        metrics: { durationMs: 3000.5, billedDurationMs: 3000, memorySizeMB: 128, maxMemoryUsedMB: 64 },
      }),
    ],
    batch: [
      [100, `START RequestId: ${R_BATCH} Version: $LATEST`],
      text(101, R_BATCH, 'INFO', { message: 'record 1', transaction_id: tx }),
      text(102, R_BATCH, 'INFO', { message: 'record 2', transaction_id: other }),
      [110, `END RequestId: ${R_BATCH}`],
      [
        110,
        `REPORT RequestId: ${R_BATCH}\tDuration: 9.50 ms\tBilled Duration: 10 ms\tMemory Size: 128 MB\tMax Memory Used: 50 MB\t`,
      ],
    ],
    unrelated: [
      [200, `START RequestId: ${R_OTHER} Version: $LATEST`],
      [210, `END RequestId: ${R_OTHER}`],
    ],
  };
}

/** Posts each function's lines to `/ingest/cwl` of `url` as one CloudWatch Logs DATA_MESSAGE. */
export async function postLambdaGroups(
  url: string,
  T: number,
  groups: Record<string, readonly Line[]>,
): Promise<void> {
  let n = 0;
  for (const [fn, lines] of Object.entries(groups)) await postGroup(url, T, fn, lines, n++);
}

async function postGroup(
  url: string,
  T: number,
  fn: string,
  lines: readonly Line[],
  n: number,
): Promise<void> {
  const payload = {
    messageType: 'DATA_MESSAGE',
    owner: '123456789012',
    logGroup: `/aws/lambda/${fn}`,
    logStream: `2026/12/05/[$LATEST]${fn}`,
    subscriptionFilters: ['sluice'],
    logEvents: lines.map(([ms, message], i) => ({
      id: `${String(n).padStart(10, '0')}${String(i).padStart(46, '0')}`,
      timestamp: T + ms,
      message,
    })),
  };
  const res = await fetch(`${url}/ingest/cwl`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payload),
  });
  if (res.status !== 202) throw new Error(`/ingest/cwl answered ${res.status}`);
}
