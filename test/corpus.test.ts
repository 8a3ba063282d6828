import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeKinesisEvent } from '../ingest/aws-events.js';
import { decodeCwlData } from '../ingest/decode.js';
import { IngestError } from '../ingest/errors.js';
import { compileNormalizer } from '../transform/normalize.js';
import { LogEventSchema } from '../transform/schema.js';
import { hostileLines, hostilePayloads } from './factories/corpus.js';
import { encodeCwlData, kinesisEventOf, makeEnvelope } from './factories/cwl.js';

/**
 * The fuzz-style corpus: every hostile line gives a valid LogEvent, every hostile payload a typed
 * IngestError (or a valid envelope), nothing throws, and neighbours in the same batch are untouched.
 */
const normalizer = compileNormalizer({ now: () => new Date('2024-05-01T12:00:00.000Z') });
const GOOD = [
  '{"level":30,"time":1714564800000,"msg":"before","transactionId":"t-1"}',
  'after, in plain text',
];

function assertValid(event: unknown): void {
  const r = LogEventSchema.safeParse(event);
  expect(r.success, r.success ? '' : JSON.stringify(r.error.issues.slice(0, 3))).toBe(true);
  expect(() => JSON.stringify(event)).not.toThrow();
}

afterAll(() => {
  const probe = {} as Record<string, unknown>;
  expect(probe['polluted']).toBeUndefined();
  expect(Object.prototype).not.toHaveProperty('polluted');
  expect(Object.prototype).not.toHaveProperty('messageType');
});

describe.each(hostileLines())('hostile line: $name', ({ line }) => {
  it('gives a valid, serialisable LogEvent as a CloudWatch event and as a raw line', () => {
    const ctx = { logGroup: '/aws/lambda/fuzz', logStream: 's' };
    assertValid(normalizer.event({ id: '1', timestamp: 1714564800000, message: line }, ctx));
    assertValid(normalizer.line(line, { logGroup: '', logStream: 'stdin', id: 'x' }));
  });

  it('does not harm its neighbours in the same envelope', () => {
    const mixed = makeEnvelope([GOOD[0]!, line, GOOD[1]!]);
    const alone = makeEnvelope(GOOD);
    const events = normalizer.envelope(mixed);
    expect(events).toHaveLength(3);
    const expected = normalizer.envelope(alone);
    expect(events[0]).toEqual({ ...expected[0], event: events[0]!.event });
    expect({ ...events[2], '@timestamp': 0, event: 0 }).toEqual({
      ...expected[1],
      '@timestamp': 0,
      event: 0,
    });
    for (const e of events) assertValid(e);
  });
});

describe.each(hostilePayloads())('hostile payload: $name', ({ data }) => {
  it('gives a typed IngestError or a valid envelope, never an exception', () => {
    const r = decodeCwlData(data);
    if (r.kind === 'error') {
      expect(r.error).toBeInstanceOf(IngestError);
      expect(r.error.code).toMatch(/^INGEST_[A-Z0-9_]+$/);
    } else if (r.kind === 'data') {
      for (const e of normalizer.envelope(r.envelope)) assertValid(e);
    }
  });

  it('does not harm its neighbours in the same Kinesis batch', () => {
    const good = encodeCwlData(makeEnvelope(GOOD));
    const results = decodeKinesisEvent(kinesisEventOf([good, data, good]));
    expect(results).toHaveLength(3);
    expect(results[0]!.result).toEqual(decodeCwlData(good));
    expect(results[2]!.result).toEqual(decodeCwlData(good));
  });
});

describe('the corpus through the real CLI', () => {
  it('processes every line, reports the bad ones and keeps the good ones', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-corpus-'));
    try {
      const file = path.join(dir, 'corpus.log');
      const lines = [
        'first good line',
        ...hostileLines().map((c) => c.line.replaceAll('\n', ' ')),
        ...hostilePayloads()
          .filter((p) => p.data.startsWith('H4sI'))
          .map((p) => p.data),
        'last good line',
      ];
      await writeFile(file, `${lines.join('\n')}\n`);
      const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
      const { code, stdout, stderr } = await new Promise<{
        code: number | null;
        stdout: string;
        stderr: string;
      }>((resolve, reject) => {
        const child = spawn(process.execPath, ['bin/sluice.js', 'process', file], { cwd: root });
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        child.stdout.on('data', (c: Buffer) => out.push(c));
        child.stderr.on('data', (c: Buffer) => err.push(c));
        child.on('error', reject);
        child.on('close', (c) =>
          resolve({ code: c, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }),
        );
      });
      expect(code).toBe(1);
      const events = stdout
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as unknown);
      for (const e of events) assertValid(e);
      const messages = events.map((e) => (e as { message: string }).message);
      expect(messages[0]).toBe('first good line');
      expect(messages.at(-1)).toBe('last good line');
      expect(events.length).toBe(hostileLines().length + 2);
      expect(stderr).toMatch(/INGEST_GZIP_INVALID/);
      expect(stderr).toMatch(/INGEST_TOO_LARGE/);
      expect(stderr).not.toContain('polluted');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
