import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import pino from 'pino';
import { type BenchSuite, fmt, type Measurement, measure, rng } from '../bench/harness.js';
import { captureLines } from '../test/factories/log-lines.js';
import { runInTransaction } from './context.js';
import { createLogger } from './logger.js';

interface Rec {
  readonly msg: string;
  readonly fields: Record<string, unknown>;
}

/** Seeded records like a component's business lines: ids, amounts, a nested object, a small array. */
function records(seed: number, count: number): Rec[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const verbs = ['order placed', 'payment captured', 'stock reserved', 'email queued', 'cart updated'];
  return Array.from({ length: count }, (_, i) => ({
    msg: pick(verbs),
    fields: {
      orderId: `o-${Math.floor(r() * 1e9)}`,
      customer: { id: `c-${Math.floor(r() * 1e6)}`, tier: pick(['free', 'gold', 'platinum']) },
      amount: Math.round(r() * 100_000) / 100,
      currency: pick(['EUR', 'USD', 'GBP']),
      items: Array.from({ length: 1 + (i % 4) }, () => ({
        sku: `sku-${Math.floor(r() * 1e4)}`,
        qty: 1 + Math.floor(r() * 3),
      })),
      retry: i % 10 === 0,
    },
  }));
}

const LAMBDA_CONTEXT = {
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  functionName: 'orders-fn',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:123456789012:function:orders-fn',
  memoryLimitInMB: '1024',
} as unknown as Context;
const TX = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  traceId: '1-5759e988-bd862e3fe1be46a994272793',
  faas: { execution: LAMBDA_CONTEXT.awsRequestId, name: 'orders-fn', coldstart: false },
};

/** The same kind of null sink for every variant: pino's synchronous SonicBoom on /dev/null. */
const nullSink = () => pino.destination({ dest: '/dev/null', sync: true });

function powertools(stream: NodeJS.WritableStream, inLambda: boolean): PowertoolsLogger {
  const logger = new PowertoolsLogger({ serviceName: 'orders' });
  (logger as unknown as { console: Console }).console = new Console({ stdout: stream, stderr: stream });
  if (inLambda) {
    logger.addContext(LAMBDA_CONTEXT);
    logger.setCorrelationId(TX.id);
  }
  return logger;
}

/** Lines/s of a measurement that logged `n` lines per iteration. */
const rate = (m: Measurement, n: number) => (m.iterations * n * 1000) / m.wallMs;

const suite: BenchSuite = {
  name: 'logger',
  title: 'Component logger (sluice/logger) vs bare pino vs Powertools Logger',
  async run(ctx) {
    const recs = records(ctx.seed, 1000);
    const minMs = Math.max(300, 1500 * ctx.scale);
    const env = {};
    const bare = pino({}, nullSink());
    const sluice = createLogger({ service: 'orders' }, { destination: nullSink(), env });
    const sluiceNoRedact = createLogger(
      { service: 'orders', redact: { defaults: false } },
      { destination: nullSink(), env },
    );
    const ptOut = powertools(nullSink() as unknown as NodeJS.WritableStream, false);
    const ptIn = powertools(nullSink() as unknown as NodeJS.WritableStream, true);
    const variants: [string, () => void][] = [
      [
        'bare pino',
        () => {
          for (const r of recs) bare.info(r.fields, r.msg);
        },
      ],
      [
        'sluice logger',
        () => {
          for (const r of recs) sluice.info(r.fields, r.msg);
        },
      ],
      [
        'sluice logger, in a Lambda transaction',
        () =>
          runInTransaction(TX, () => {
            for (const r of recs) sluice.info(r.fields, r.msg);
          }),
      ],
      [
        'sluice logger, redaction off',
        () => {
          for (const r of recs) sluiceNoRedact.info(r.fields, r.msg);
        },
      ],
      [
        'Powertools Logger',
        () => {
          for (const r of recs) ptOut.info(r.msg, r.fields);
        },
      ],
      [
        'Powertools Logger, with Lambda context',
        () => {
          for (const r of recs) ptIn.info(r.msg, r.fields);
        },
      ],
    ];

    // Rounds interleave the variants so drift on a shared machine hits all of them; median per variant.
    const rounds = ctx.scale < 1 ? 1 : 3;
    const rates = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, fn] of variants) {
        const m = await measure(name, fn, { minMs, warmup: 5 });
        rates.get(name)!.push(rate(m, recs.length));
        ctx.log(`  ${name}: ${fmt(rate(m, recs.length), 0)} lines/s (round ${round + 1})`);
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const base = median(rates.get('bare pino')!);
    const sizes = bytesPerLine(recs);
    const rows = variants.map(([name]) => {
      const v = median(rates.get(name)!);
      return `| ${name} | ${fmt(v, 0)} | ${fmt(v / base, 2)}× | ${sizes[name] ?? '–'} |`;
    });
    const inTx = median(rates.get('sluice logger, in a Lambda transaction')!) / base;
    const plain = median(rates.get('sluice logger')!) / base;
    return [
      `${recs.length} seeded business records (ids, amount, nested customer, 1–4 items), logged at \`info\` by each`,
      `variant; every variant writes to the same kind of null sink (pino's synchronous SonicBoom on /dev/null —`,
      'for Powertools through a `Console` on that stream). Median of ' +
        `${rounds} interleaved round(s) of ≥ ${minMs} ms each.`,
      '',
      '| variant | lines/s | vs bare pino | bytes/line |',
      '|---|---:|---:|---:|',
      ...rows,
      '',
      `Target ≥ 0.8× bare pino: sluice logger ${fmt(plain, 2)}× (${plain >= 0.8 ? 'met' : 'NOT met'}), in a Lambda transaction ${fmt(inTx, 2)}× (${inTx >= 0.8 ? 'met' : 'NOT met'}).`,
      'The sluice lines carry more (service, and in a transaction the transaction, trace and invocation fields) and are',
      'redacted at source by the shared secret key names; bare pino writes `pid`/`hostname` instead.',
    ].join('\n');
  },
};

/** Average bytes per line of each variant, from one untimed pass into memory. */
function bytesPerLine(recs: readonly Rec[]): Record<string, string> {
  const avg = (raw: readonly string[]) =>
    fmt(raw.reduce((n, l) => n + Buffer.byteLength(l), 0) / Math.max(raw.length, 1), 0);
  const pass = (log: (r: Rec) => void, sink: { raw: string[] }) => {
    for (const r of recs) log(r);
    return avg(sink.raw);
  };
  const a = captureLines();
  const bare = pino({}, a);
  const b = captureLines();
  const s = createLogger({ service: 'orders' }, { destination: b, env: {} });
  const c = captureLines();
  const t = createLogger({ service: 'orders' }, { destination: c, env: {} });
  const d = collector();
  const e = collector();
  const ptOut = powertools(d.stream, false);
  const ptIn = powertools(e.stream, true);
  const sluiceBytes = pass((r) => s.info(r.fields, r.msg), b);
  return {
    'bare pino': pass((r) => bare.info(r.fields, r.msg), a),
    'sluice logger': sluiceBytes,
    'sluice logger, redaction off': sluiceBytes,
    'sluice logger, in a Lambda transaction': runInTransaction(TX, () =>
      pass((r) => t.info(r.fields, r.msg), c),
    ),
    'Powertools Logger': pass((r) => ptOut.info(r.msg, r.fields), d),
    'Powertools Logger, with Lambda context': pass((r) => ptIn.info(r.msg, r.fields), e),
  };
}

/** A Writable that keeps what is written (Console needs a real stream). */
function collector(): { raw: string[]; stream: Writable } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      raw.push(chunk.toString('utf8'));
      cb();
    },
  });
  return { raw, stream };
}

export default suite;
