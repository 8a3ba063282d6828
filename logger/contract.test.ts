import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { type LogEvent, LogEventSchema } from '../transform/schema.js';

/**
 * Contract: what the logger really writes (a component's stdout) fed through the real
 * `sluice process` gives exactly the expected LogEvent for every helper — as raw lines, and
 * wrapped in a CloudWatch Logs subscription payload as it arrives in production.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const XRAY = '1-5759e988-bd862e3fe1be46a994272793';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

type Line = Record<string, unknown> & { time: number; msg: string };

async function sluiceProcess(
  input: string,
  args: readonly string[] = [],
): Promise<{ events: LogEvent[]; stderr: string; code: number | null }> {
  const child = spawn(process.execPath, ['bin/sluice.js', 'process', ...args], { cwd: ROOT });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => (stderr += d));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const events = stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as LogEvent);
  return { events, stderr, code };
}

let raw = '';
let lines: Line[] = [];

beforeAll(async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', 'logger/contract-emitter.ts'],
    {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '' },
    },
  );
  raw = stdout;
  lines = raw
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Line);
}, 60_000);

/** The Lambda invocation fields each line of the emitter carries (by position). */
function invocation(execution: string, coldstart: boolean) {
  return { execution, name: 'orders-fn', coldstart };
}

/**
 * The expected LogEvent of line `i`, apart from origin fields (log group/stream, account, region,
 * the faas name derived from the group) that `origin` adds.
 */
function expectedEvents(): Omit<LogEvent, 'aws' | 'event'>[] {
  const at = (i: number) => new Date(lines[i]!.time).toISOString();
  const base = (i: number, level: LogEvent['log']['level'], attributes: Record<string, unknown> = {}) => ({
    '@timestamp': at(i),
    message: lines[i]!.msg,
    log: { level, format: 'pino' as const },
    service: { name: 'orders' },
    attributes: { deployment: 'blue', ...attributes },
  });
  const tx = (i: number) => (lines[i]!.transaction as { id: string }).id;
  const stack = (i: number) => (lines[i]!.err as { stack: string }).stack;
  const sources = ['apigw_v1', 'apigw_v2', 'sqs', 'kinesis', 'eventbridge', 'sns', 'none'];
  const ids = ['tx-apigw-v1', TRACE, 'tx-sqs', 'tx-kinesis', 'tx-eventbridge', 'tx-sns', tx(10)];
  return [
    base(0, 'info'),
    base(1, 'warn', { order: { id: 'o-1' }, customer: 'c-9', amount: 12.5 }),
    { ...base(2, 'error'), error: { type: 'TypeError', message: 'card declined', stack_trace: stack(2) } },
    base(3, 'info', { password: '[REDACTED:secret]', user: { name: 'ann', token: '[REDACTED:secret]' } }),
    ...sources.map((source, k) => ({
      ...base(4 + k, 'info', { source }),
      transaction: { id: ids[k]! },
      trace: { id: source === 'apigw_v2' ? TRACE : XRAY },
      faas: invocation(`req-${k + 1}`, k === 0),
    })),
    {
      ...base(11, 'error'),
      transaction: { id: 'tx-failing' },
      trace: { id: XRAY },
      faas: invocation('req-fail', true),
      error: { type: 'RangeError', message: 'out of stock', stack_trace: stack(11) },
    },
    ...[12, 13].map((i) => ({
      ...base(i, 'info'),
      transaction: { id: `tx-rec-${i - 11}` },
      trace: { id: XRAY },
      faas: invocation('req-batch', true),
    })),
    { ...base(14, 'info', { tenant: { id: 't-1' } }), transaction: { id: TRACE }, trace: { id: TRACE } },
    { ...base(15, 'info', { path: '/direct' }), transaction: { id: 'tx-http' } },
    { ...base(16, 'info', { path: '/propagated' }), transaction: { id: 'tx-upstream' } },
  ];
}

describe('the logger output through `sluice process`', () => {
  it('the component wrote one line per helper, with no secret and fresh ids where none came in', () => {
    expect(lines.map((l) => l.msg)).toEqual([
      'plain line',
      'child line',
      'error line',
      'redacted line',
      ...Array(7).fill('lambda line'),
      'invocation failed',
      'batch record line',
      'batch record line',
      'transaction fields line',
      'http line',
      'http line',
    ]);
    expect(raw).not.toContain('hunter2');
    expect(raw).not.toContain('t0ken');
    expect((lines[10]!.transaction as { id: string }).id).toMatch(UUID);
  });

  it('as raw lines: exactly the expected LogEvents', async () => {
    const { events, stderr, code } = await sluiceProcess(raw);
    expect(code, stderr).toBe(0);
    const expected = expectedEvents();
    expect(events).toHaveLength(expected.length);
    events.forEach((event, i) => {
      expect(LogEventSchema.parse(event)).toEqual(event);
      expect(event).toEqual({
        ...expected[i],
        event: { id: expect.any(String), ingested: expect.stringMatching(ISO) },
        aws: { cloudwatch: { log_group: '', log_stream: 'stdin' } },
      });
    });
  }, 60_000);

  it("agrees with the pipeline's default secret pack: running it on the events changes nothing", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'sluice-logger-'));
    try {
      const rules = path.join(dir, 'rules.yaml');
      await writeFile(rules, 'rules: []\n'); // no author rules: the default pack alone
      const [plain, filtered] = await Promise.all([
        sluiceProcess(raw),
        sluiceProcess(raw, ['--rules', rules]),
      ]);
      expect(filtered.code, filtered.stderr).toBe(0);
      const stable = (e: LogEvent) => ({ ...e, event: { id: e.event.id } });
      expect(filtered.events.map(stable)).toEqual(plain.events.map(stable));
      expect(filtered.events.some((e) => e.redaction !== undefined)).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('in a CloudWatch Logs subscription payload from the Lambda log group: the same, plus the origin', async () => {
    const payload = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/orders-fn',
      logStream: '2026/11/26/[$LATEST]abcdef',
      subscriptionFilters: ['sluice'],
      logEvents: lines.map((l, i) => ({ id: `ev-${i}`, timestamp: l.time + 1, message: raw.split('\n')[i] })),
    };
    const { events, stderr, code } = await sluiceProcess(`${JSON.stringify(payload)}\n`);
    expect(code, stderr).toBe(0);
    const expected = expectedEvents();
    expect(events).toHaveLength(expected.length);
    events.forEach((event, i) => {
      const e = expected[i]!;
      expect(LogEventSchema.parse(event)).toEqual(event);
      expect(event).toEqual({
        ...e,
        event: { id: `ev-${i}`, ingested: expect.stringMatching(ISO) },
        aws: { cloudwatch: { log_group: payload.logGroup, log_stream: payload.logStream } },
        cloud: { account: { id: '123456789012' } },
        faas: e.faas ?? { name: 'orders-fn' },
      });
    });
  }, 60_000);
});
