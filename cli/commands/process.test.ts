import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCwlData, makeEnvelope } from '../../test/factories/cwl.js';
import { type LogEvent, LogEventSchema } from '../../transform/schema.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const FIXTURE = 'test/fixtures/process/mixed.ndjson';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI (`node bin/sluice.js process …`), optionally feeding stdin. */
function sluice(args: string[], stdin?: string | Buffer): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/sluice.js', 'process', ...args], {
      cwd: ROOT,
      stdio: 'pipe',
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
    child.stdin.end(stdin ?? '');
  });
}

const events = (stdout: string): LogEvent[] =>
  stdout
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as LogEvent);

describe('sluice process (the real CLI)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-process-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('normalises every shape of a mixed file, reports bad lines by number without content, and exits 1', async () => {
    const run = await sluice([FIXTURE]);
    expect(run.code).toBe(1);
    const out = events(run.stdout);
    expect(out).toHaveLength(19);
    for (const e of out) expect(LogEventSchema.safeParse(e).success).toBe(true);
    const formats = out.map((e) => e.log.format);
    expect(new Set(formats)).toEqual(
      new Set(['pino', 'lambda_text', 'powertools', 'lambda_platform', 'text', 'json']),
    );
    expect(out[0]).toMatchObject({
      message: 'order placed',
      service: { name: 'orders' },
      transaction: { id: 'tx-1' },
    });
    expect(out[2]).toMatchObject({
      service: { name: 'cart' },
      aws: { cloudwatch: { log_group: '/aws/lambda/cart' } },
    });
    expect(out.at(-1)).toMatchObject({ log: { truncated: true, level: 'error' } });
    expect(run.stderr).toContain(`${FIXTURE}:5: INGEST_JSON_INVALID: record 2:`);
    expect(run.stderr).toContain(`${FIXTURE}:10: INGEST_GZIP_INVALID:`);
    expect(run.stderr).toContain(
      'sluice process: 11 lines read (1 blank), 19 events out, 1 control messages skipped, 2 errors (INGEST_GZIP_INVALID 1, INGEST_JSON_INVALID 1)',
    );
    expect(run.stderr).not.toContain('hunter2');
  });

  it('reads stdin, gives raw lines deterministic ids and service unknown, and exits 0 when all is well', async () => {
    const input = 'first line\n{"msg":"second","service":"api"}\r\n\n';
    const [a, b] = await Promise.all([sluice([], input), sluice(['--stdin-name', 'app.log'], input)]);
    expect(a.code).toBe(0);
    const first = events(a.stdout);
    expect(first.map((e) => [e.message, e.service.name, e.aws.cloudwatch.log_stream])).toEqual([
      ['first line', 'unknown', 'stdin'],
      ['second', 'api', 'stdin'],
    ]);
    expect(first[0]!.event.id).toMatch(/^[0-9a-f]{40}$/);
    expect(first[0]!.event.id).not.toBe(first[1]!.event.id);
    expect(events(a.stdout).map((e) => e.event.id)).toEqual(
      events((await sluice([], input)).stdout).map((e) => e.event.id),
    );
    expect(events(b.stdout)[0]!.event.id).not.toBe(first[0]!.event.id);
    expect(a.stderr).toBe(
      'sluice process: 3 lines read (1 blank), 2 events out, 0 control messages skipped, 0 errors\n',
    );
  });

  it('skips an over-long line with an error and keeps its neighbours', async () => {
    const file = path.join(dir, 'long.log');
    await writeFile(
      file,
      `before\n${'x'.repeat(2 * 1024 * 1024)}\n${encodeCwlData(makeEnvelope(['after']))}\n`,
    );
    const run = await sluice(['--max-line-bytes', String(1024 * 1024), file]);
    expect(run.code).toBe(1);
    expect(events(run.stdout).map((e) => e.message)).toEqual(['before', 'after']);
    expect(run.stderr).toContain(
      `${file}:2: INGEST_LINE_TOO_LONG: line of 2097152 bytes exceeds the limit of 1048576 bytes`,
    );
  });

  it('processes several files in order and a 1 MB line within the default limit', async () => {
    const file = path.join(dir, 'big.log');
    await writeFile(file, `{"msg":"big","blob":"${'y'.repeat(1024 * 1024)}"}\n`);
    const run = await sluice([file, '-'], 'from stdin\n');
    expect(run.code).toBe(0);
    const out = events(run.stdout);
    expect(out.map((e) => e.message)).toEqual(['big', 'from stdin']);
    expect((out[0]!.attributes['blob'] as string).length).toBe(1024 * 1024);
  });

  it.each([
    [['does-not-exist.log'], "cannot read 'does-not-exist.log'"],
    [['--bogus'], "Unknown option '--bogus'"],
    [['--max-line-bytes', '0'], '--max-line-bytes must be a positive integer'],
    [['--transaction-id-fields', 'a,__proto__'], 'transactionIdFields[1]'],
  ])('exits 2 on bad usage %j', async (args, message) => {
    const run = await sluice(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stdout).toBe('');
  });

  it('prints its help with exit 0', async () => {
    const run = await sluice(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: sluice process');
  });
});

describe('sluice process interrupted', () => {
  it('stops on SIGINT while waiting on an idle stdin, prints the summary and exits 1', async () => {
    const child = spawn(process.execPath, ['bin/sluice.js', 'process'], { cwd: ROOT, stdio: 'pipe' });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.stdin.write('one line before the interrupt\n');
    // Wait for the first event, then interrupt while stdin stays open and idle.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code).toBe(1);
    expect(Buffer.concat(out).toString()).toContain('one line before the interrupt');
    expect(Buffer.concat(err).toString()).toContain('sluice process: 1 lines read (0 blank), 1 events out');
  });
});
