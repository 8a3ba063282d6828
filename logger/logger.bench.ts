import { Console } from 'node:console';
import { Writable } from 'node:stream';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import pino from 'pino';
import { type BenchSuite, fmt, type Measurement, measure, median } from '../bench/harness.js';
import { seededRandom as rng } from '../core/random.js';
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

/** Lines per CPU second and per wall second of a measurement that logged `n` lines per iteration. */
const rates = (m: Measurement, n: number) => ({
  cpu: (m.iterations * n * 1000) / m.cpuMs,
  wall: (m.iterations * n * 1000) / m.wallMs,
});

const V = {
  bare: 'bare pino',
  bareCtx: 'bare pino, same context bound (child)',
  sluice: 'sluice logger',
  sluiceTx: 'sluice logger, in a Lambda transaction',
  sluiceNoRedact: 'sluice logger, redaction off',
  pt: 'Powertools Logger',
  ptCtx: 'Powertools Logger, with Lambda context',
} as const;

const suite: BenchSuite = {
  name: 'logger',
  title: 'Component logger (sluice/logger) vs bare pino vs Powertools Logger',
  async run(ctx) {
    const recs = records(ctx.seed, 1000);
    const minMs = Math.max(200, 700 * ctx.scale);
    const rounds = ctx.scale < 1 ? 2 : 7;
    const env = {};
    const bare = pino({}, nullSink());
    // What a sluice line carries in a transaction, bound to bare pino the cheapest way pino can.
    const bareCtx = pino({ base: { service: { name: 'orders' } } }, nullSink()).child({
      transaction: { id: TX.id },
      trace: { id: TX.traceId },
      function_request_id: TX.faas.execution,
      function_name: TX.faas.name,
      cold_start: TX.faas.coldstart,
    });
    const sluice = createLogger({ service: 'orders' }, { destination: nullSink(), env });
    const sluiceNoRedact = createLogger(
      { service: 'orders', redact: { defaults: false } },
      { destination: nullSink(), env },
    );
    const pt = powertools(nullSink() as unknown as NodeJS.WritableStream, false);
    const ptCtx = powertools(nullSink() as unknown as NodeJS.WritableStream, true);
    const each = (log: (r: Rec) => void) => () => {
      for (const r of recs) log(r);
    };
    const variants: [string, () => void][] = [
      [V.bare, each((r) => bare.info(r.fields, r.msg))],
      [V.bareCtx, each((r) => bareCtx.info(r.fields, r.msg))],
      [V.sluice, each((r) => sluice.info(r.fields, r.msg))],
      [
        V.sluiceTx,
        () =>
          runInTransaction(
            TX,
            each((r) => sluice.info(r.fields, r.msg)),
          ),
      ],
      [V.sluiceNoRedact, each((r) => sluiceNoRedact.info(r.fields, r.msg))],
      [V.pt, each((r) => pt.info(r.msg, r.fields))],
      [V.ptCtx, each((r) => ptCtx.info(r.msg, r.fields))],
    ];

    // Short measurements, interleaved over several rounds, so drift on a shared machine hits every
    // variant alike; the median per variant. CPU time (this process, user + system) is the primary
    // figure: other processes on the machine inflate wall time, not it.
    const cpu = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    const wall = new Map<string, number[]>(variants.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, fn] of variants) {
        const r = rates(await measure(name, fn, { minMs, warmup: 3 }), recs.length);
        cpu.get(name)!.push(r.cpu);
        wall.get(name)!.push(r.wall);
      }
      ctx.log(`  round ${round + 1}/${rounds} done`);
    }
    const m = (map: Map<string, number[]>, name: string) => median(map.get(name)!);
    const sizes = bytesPerLine(recs, bareCtx.bindings());
    const rows = variants.map(([name]) => {
      const c = m(cpu, name);
      const w = m(wall, name);
      return `| ${name} | ${fmt(c, 0)} | ${fmt(c / m(cpu, V.bare), 2)}× | ${fmt(w, 0)} | ${fmt(w / m(wall, V.bare), 2)}× | ${sizes[name] ?? '–'} |`;
    });
    const ratio = (a: string, b: string) => m(cpu, a) / m(cpu, b);
    const verdict = (r: number) => `${fmt(r, 2)}× (${r >= 0.8 ? 'met' : 'NOT met'})`;
    return [
      `${recs.length} seeded business records (ids, amount, nested customer, 1–4 items) logged at \`info\` by`,
      "each variant, all to the same kind of null sink: pino's synchronous SonicBoom on /dev/null (Powertools",
      `through a \`Console\` on that stream). Median of ${rounds} interleaved rounds of ≥ ${minMs} ms per variant.`,
      '',
      '| variant | lines per CPU s | vs bare pino | lines per wall s | vs bare pino | bytes/line |',
      '|---|---:|---:|---:|---:|---:|',
      ...rows,
      '',
      `Target ≥ 0.8× bare pino (CPU): sluice logger ${verdict(ratio(V.sluice, V.bare))}; in a Lambda transaction`,
      `${verdict(ratio(V.sluiceTx, V.bare))} against bare pino and ${verdict(ratio(V.sluiceTx, V.bareCtx))} against bare pino`,
      'writing the same context fields (lines of about the same size). Powertools Logger, same records:',
      `sluice is ${fmt(ratio(V.sluice, V.pt), 1)}× as fast, ${fmt(ratio(V.sluiceTx, V.ptCtx), 1)}× with the Lambda context.`,
      "The sluice logger also redacts at source (the default pack's secret key globs, walked on every line);",
      '"redaction off" shows that cost. Bare pino writes `pid`/`hostname`, the sluice logger `service.name`.',
    ].join('\n');
  },
};

/** Average bytes per line of each variant, from one untimed pass into memory. */
function bytesPerLine(recs: readonly Rec[], context: pino.Bindings): Record<string, string> {
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
  const f = captureLines();
  const bareCtx = pino({ base: { service: { name: 'orders' } } }, f).child(context);
  const sluiceBytes = pass((r) => s.info(r.fields, r.msg), b);
  return {
    [V.bare]: pass((r) => bare.info(r.fields, r.msg), a),
    [V.bareCtx]: pass((r) => bareCtx.info(r.fields, r.msg), f),
    [V.sluice]: sluiceBytes,
    [V.sluiceNoRedact]: sluiceBytes,
    [V.sluiceTx]: runInTransaction(TX, () => pass((r) => t.info(r.fields, r.msg), c)),
    [V.pt]: pass((r) => ptOut.info(r.msg, r.fields), d),
    [V.ptCtx]: pass((r) => ptIn.info(r.msg, r.fields), e),
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
