import { gzipSync } from 'node:zlib';
import { seededRandom as mulberry } from '../../core/random.js';
import type { CwlEnvelope } from '../../ingest/envelope.js';

/** Options of {@link generateLogLines}. */
export interface LogLinesOptions {
  readonly seed: number;
  readonly count: number;
  /** Request id for the Lambda lines (default: generated per invocation). */
  readonly service?: string;
}

const SERVICES = ['orders', 'payments', 'cart', 'inventory', 'shipping', 'auth', 'search', 'notifications'];
const ROUTES = [
  '/orders',
  '/orders/{id}',
  '/cart/items',
  '/payments/authorize',
  '/users/{id}/profile',
  '/search',
  '/health',
];
const METHODS = ['GET', 'GET', 'GET', 'POST', 'PUT', 'DELETE'];
const WORDS =
  'order placed payment authorised item added cart updated user signed in cache miss retrying request to downstream service completed with status slow query detected token refreshed inventory reserved shipment created email queued'.split(
    ' ',
  );

type Rand = () => number;
const pick = <T>(r: Rand, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const hex = (r: Rand, n: number): string => {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[Math.floor(r() * 16)];
  return s;
};
const uuid = (r: Rand): string => `${hex(r, 8)}-${hex(r, 4)}-4${hex(r, 3)}-8${hex(r, 3)}-${hex(r, 12)}`;
const sentence = (r: Rand, words: number): string =>
  Array.from({ length: words }, () => pick(r, WORDS)).join(' ');
/** Log-normal-ish size factor: median 1, long right tail. */
const spread = (r: Rand): number => Math.exp((r() + r() + r() - 1.5) * 1.2);

function stack(r: Rand, frames: number): string {
  const lines = [
    `TypeError: Cannot read properties of undefined (reading '${pick(r, ['id', 'items', 'total'])}')`,
  ];
  for (let i = 0; i < frames; i++) {
    lines.push(
      `    at ${pick(r, ['handler', 'process', 'validate', 'Object.next', 'async Promise.all'])} (/var/task/${pick(r, ['index', 'lib/db', 'lib/http', 'node_modules/x/y'])}.js:${Math.floor(r() * 900)}:${Math.floor(r() * 80)})`,
    );
  }
  return lines.join('\n');
}

/** The app's own nested fields: the part of a JSON line that goes to `attributes`. */
function appFields(r: Rand, scale: number): Record<string, unknown> {
  const fields: Record<string, unknown> = {
    http: {
      method: pick(r, METHODS),
      route: pick(r, ROUTES),
      status: pick(r, [200, 200, 200, 201, 204, 400, 404, 500]),
      duration_ms: Math.round(r() * 50000) / 100,
    },
    user: { id: `u-${Math.floor(r() * 100000)}`, tenant: pick(r, ['acme', 'globex', 'initech']) },
  };
  const extra = Math.floor(scale * 3);
  for (let i = 0; i < extra; i++) {
    fields[`field_${i}`] = pick<unknown>(r, [
      sentence(r, 3 + Math.floor(r() * 6)),
      Math.floor(r() * 1e6),
      { sku: `SKU-${hex(r, 6)}`, qty: Math.floor(r() * 9) + 1, price: Math.round(r() * 10000) / 100 },
      [hex(r, 8), hex(r, 8)],
      r() < 0.5,
    ]);
  }
  return fields;
}

/** A big "payload dump" line (the tail): 2 KB – 256 KB. */
function bigLine(r: Rand, tx: string, bytes: number): string {
  const items: unknown[] = [];
  let size = 0;
  while (size < bytes) {
    const item = {
      sku: `SKU-${hex(r, 6)}`,
      name: sentence(r, 4),
      qty: Math.floor(r() * 9),
      tags: [pick(r, WORDS), pick(r, WORDS)],
    };
    size += JSON.stringify(item).length + 1;
    items.push(item);
  }
  return JSON.stringify({
    level: 20,
    time: 1714564800000 + Math.floor(r() * 1e6),
    msg: 'payload dump',
    transactionId: tx,
    payload: { items },
  });
}

/**
 * Realistic log lines as Node/Lambda components write them (seeded, reproducible): ~60% pino /
 * Powertools JSON lines with nested fields (median ~400 B), ~10% plain text, Lambda text-format
 * lines (some with JSON inside), Lambda JSON-format lines, START/END/REPORT platform lines, and a
 * tail of large lines up to 256 KB (payload dumps, long stack traces).
 */
export function generateLogLines(opts: LogLinesOptions): string[] {
  const r = mulberry(opts.seed);
  const out: string[] = [];
  let requestId = uuid(r);
  let tx = `tx-${hex(r, 16)}`;
  const baseMs = Date.UTC(2024, 4, 1, 12);
  while (out.length < opts.count) {
    const service = opts.service ?? pick(r, SERVICES);
    const t = baseMs + out.length * 7;
    const iso = new Date(t).toISOString();
    const roll = r();
    if (roll < 0.02) {
      requestId = uuid(r);
      tx = `tx-${hex(r, 16)}`;
      out.push(`START RequestId: ${requestId} Version: $LATEST\n`);
    } else if (roll < 0.04) {
      out.push(`END RequestId: ${requestId}\n`);
      out.push(
        `REPORT RequestId: ${requestId}\tDuration: ${(r() * 900).toFixed(2)} ms\tBilled Duration: ${Math.ceil(r() * 900)} ms\tMemory Size: 256 MB\tMax Memory Used: ${60 + Math.floor(r() * 100)} MB\t${r() < 0.2 ? `Init Duration: ${(r() * 400).toFixed(2)} ms\t` : ''}\n`,
      );
    } else if (roll < 0.14) {
      out.push(
        `${sentence(r, Math.max(3, Math.round(8 * spread(r))))} (${service}, ${Math.floor(r() * 1000)} ms)\n`,
      );
    } else if (roll < 0.45) {
      const level = pick(r, [30, 30, 30, 30, 20, 40, 50]);
      const line: Record<string, unknown> = {
        level,
        time: t,
        pid: 8,
        hostname: `169.254.${Math.floor(r() * 255)}.${Math.floor(r() * 255)}`,
        name: service,
        transactionId: tx,
        ...appFields(r, spread(r)),
        msg: sentence(r, 3 + Math.floor(r() * 5)),
      };
      if (level === 50)
        line['err'] = {
          type: 'TypeError',
          message: 'Cannot read properties of undefined',
          stack: stack(r, 4 + Math.floor(r() * 8)),
        };
      out.push(`${JSON.stringify(line)}\n`);
    } else if (roll < 0.72) {
      const level = pick(r, ['INFO', 'INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR']);
      const line: Record<string, unknown> = {
        level,
        message: sentence(r, 3 + Math.floor(r() * 5)),
        timestamp: iso,
        service,
        cold_start: false,
        function_arn: `arn:aws:lambda:us-east-1:123456789012:function:${service}`,
        function_memory_size: '256',
        function_name: service,
        function_request_id: requestId,
        sampling_rate: 0,
        xray_trace_id: `1-${hex(r, 8)}-${hex(r, 24)}`,
        correlation_id: tx,
        ...appFields(r, spread(r)),
      };
      if (level === 'ERROR')
        line['error'] = {
          name: 'TypeError',
          location: '/var/task/index.js:12',
          message: 'boom',
          stack: stack(r, 6),
        };
      out.push(`${JSON.stringify(line)}\n`);
    } else if (roll < 0.88) {
      const level = pick(r, ['INFO', 'INFO', 'WARN', 'ERROR']);
      const body =
        r() < 0.5
          ? JSON.stringify({ message: sentence(r, 5), txId: tx, ...appFields(r, spread(r) / 2) })
          : sentence(r, 6 + Math.floor(r() * 10));
      out.push(`${iso}\t${requestId}\t${level}\t${body}\n`);
    } else if (roll < 0.97) {
      const inner =
        r() < 0.5
          ? { message: sentence(r, 6), transactionId: tx, ...appFields(r, spread(r) / 2) }
          : sentence(r, 8);
      out.push(
        `${JSON.stringify({ timestamp: iso, level: 'INFO', requestId, message: typeof inner === 'string' ? inner : JSON.stringify(inner) })}\n`,
      );
    } else {
      // CloudWatch Logs events are at most 256 KB.
      const bytes = r() < 0.9 ? 2048 + Math.floor(r() * 14 * 1024) : 16 * 1024 + Math.floor(r() * 232 * 1024);
      out.push(r() < 0.3 ? `${stack(r, Math.floor(bytes / 90))}\n` : `${bigLine(r, tx, bytes)}\n`);
    }
  }
  return out.slice(0, opts.count);
}

/** One generated Kinesis record: a gzip CloudWatch Logs payload. */
export interface GeneratedPayload {
  /** The gzip bytes (Kinesis record data). */
  readonly gzip: Buffer;
  /** base64 of {@link gzip}: the `data` of a Lambda Kinesis record. */
  readonly base64: string;
  /** The envelope inside. */
  readonly envelope: CwlEnvelope;
  /** Bytes of log text (sum of the messages' UTF-8 lengths). */
  readonly logBytes: number;
}

/** Options of {@link generateKinesisPayloads}. */
export interface KinesisPayloadsOptions {
  readonly seed: number;
  readonly records: number;
  readonly eventsPerRecord: number;
}

/**
 * Realistic CloudWatch Logs → Kinesis payloads (seeded): each record is a gzip `DATA_MESSAGE`
 * of one Lambda log group/stream with `eventsPerRecord` lines from {@link generateLogLines}.
 */
export function generateKinesisPayloads(opts: KinesisPayloadsOptions): GeneratedPayload[] {
  const lines = generateLogLines({ seed: opts.seed, count: opts.records * opts.eventsPerRecord });
  const r = mulberry(opts.seed ^ 0x5eed);
  const out: GeneratedPayload[] = [];
  for (let i = 0; i < opts.records; i++) {
    const service = pick(r, SERVICES);
    const messages = lines.slice(i * opts.eventsPerRecord, (i + 1) * opts.eventsPerRecord);
    const start = Date.UTC(2024, 4, 1, 12) + i * 1000;
    const envelope: CwlEnvelope = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: `/aws/lambda/${service}`,
      logStream: `2024/05/01/[$LATEST]${hex(r, 32)}`,
      subscriptionFilters: ['sluice'],
      logEvents: messages.map((message, j) => ({
        id: `${37_000_000_000 + i}${String(j).padStart(6, '0')}${hex(r, 8).replace(/[a-f]/g, '0')}${'0'.repeat(30)}`,
        timestamp: start + j,
        message,
      })),
    };
    const gzip = gzipSync(JSON.stringify(envelope));
    out.push({
      gzip,
      base64: gzip.toString('base64'),
      envelope,
      logBytes: messages.reduce((n, m) => n + Buffer.byteLength(m), 0),
    });
  }
  return out;
}
