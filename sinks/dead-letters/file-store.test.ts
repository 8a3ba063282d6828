import { appendFile, chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileDeadLetterStore } from './file-store.js';
import type { DeadLetter } from './types.js';

const letter = (id: string): DeadLetter => ({
  id,
  at: '2024-05-01T12:00:00.000Z',
  stage: 'sink',
  error: { code: 'OPENSEARCH_DOCUMENT_REJECTED', message: 'mapper_parsing_exception' },
  original: { message: id },
});

describe('createFileDeadLetterStore', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-dlq-'));
    file = path.join(dir, 'nested', 'dlq.ndjson');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('appends letters as NDJSON and reads them back in order', async () => {
    const store = createFileDeadLetterStore(file);
    await store.put([letter('a'), letter('b')]);
    await store.put([letter('c')]);
    const ids: string[] = [];
    for await (const { letter: l } of store.read()) ids.push(l.id);
    expect(ids).toEqual(['a', 'b', 'c']);
    expect(await store.count?.()).toBe(3);
  });

  it('removes acked letters only, also when acks arrive after the iteration', async () => {
    const store = createFileDeadLetterStore(file);
    await store.put([letter('a'), letter('b'), letter('c')]);
    const entries = [];
    for await (const e of store.read()) entries.push(e);
    await store.put([letter('d')]); // appended while replaying
    await Promise.all([entries[0]!.ack(), entries[2]!.ack()]);
    const left: string[] = [];
    for await (const { letter: l } of store.read()) left.push(l.id);
    expect(left).toEqual(['b', 'd']);
  });

  it('keeps the file owner-only (0600), also after a rewrite and when it was 0644 before', async () => {
    const store = createFileDeadLetterStore(file);
    await store.put([letter('a'), letter('b')]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await chmod(file, 0o644);
    await store.put([letter('c')]);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    for await (const e of store.read()) if (e.letter.id === 'a') await e.ack();
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('reads nothing from a missing file', async () => {
    const store = createFileDeadLetterStore(path.join(dir, 'none.ndjson'));
    const all = [];
    for await (const e of store.read()) all.push(e);
    expect(all).toEqual([]);
  });

  it('skips and keeps a malformed line, reporting its line number', async () => {
    const problems: string[] = [];
    await writeFile(path.join(dir, 'x.ndjson'), `${JSON.stringify(letter('a'))}\n{oops\n`);
    const store = createFileDeadLetterStore(path.join(dir, 'x.ndjson'), {
      onMalformed: (e) => problems.push(e.message),
    });
    for await (const e of store.read()) await e.ack();
    expect(problems).toEqual([expect.stringContaining('x.ndjson:2')]);
    expect(await readFile(path.join(dir, 'x.ndjson'), 'utf8')).toBe('{oops\n');
  });
});

describe('createFileDeadLetterStore under concurrent writers', () => {
  let dir: string;
  let file: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-dlq-'));
    file = path.join(dir, 'dlq.ndjson');
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  // Batches well over the 512 KiB chunks FileHandle.writeFile writes in, from two stores at once.
  const big = (batch: number, i: number): DeadLetter => ({
    ...letter(`b${batch}-${i}`),
    original: { message: `${batch}:${i}:${String(batch % 10).repeat(150_000)}` },
  });

  it('writes every batch whole: concurrent puts (and acks) never interleave or lose a letter', async () => {
    const stores = [createFileDeadLetterStore(file), createFileDeadLetterStore(file)];
    await stores[0]?.put([letter('acked-1'), letter('acked-2')]);
    const toAck = [];
    for await (const e of createFileDeadLetterStore(file).read()) toAck.push(e);
    const batches = Array.from({ length: 8 }, (_, b) => Array.from({ length: 6 }, (_, i) => big(b, i)));
    await Promise.all([
      ...batches.map((batch, b) => stores[b % 2]?.put(batch)),
      ...toAck.map((e) => e.ack()), // a rewrite racing the appends
    ]);
    const problems: string[] = [];
    const back: DeadLetter[] = [];
    for await (const e of createFileDeadLetterStore(file, {
      onMalformed: (err) => problems.push(err.message),
    }).read()) {
      back.push(e.letter);
    }
    expect(problems).toEqual([]);
    expect(back).toHaveLength(48);
    expect(new Map(back.map((l) => [l.id, l]))).toEqual(new Map(batches.flat().map((l) => [l.id, l])));
    // Each batch's letters lie together, in order: one append per batch.
    for (const batch of batches) {
      const at = back.findIndex((l) => l.id === batch[0]?.id);
      expect(back.slice(at, at + batch.length).map((l) => l.id)).toEqual(batch.map((l) => l.id));
    }
  });

  it('reports a torn final line with its line number, keeps it, and never glues the next letter onto it', async () => {
    const store = createFileDeadLetterStore(file);
    await store.put([letter('a')]);
    await appendFile(file, '{"id":"cut-short","at":"2024'); // a crash in the middle of a write
    const problems: string[] = [];
    const read = async (): Promise<string[]> => {
      const ids: string[] = [];
      const s = createFileDeadLetterStore(file, { onMalformed: (e) => problems.push(e.message) });
      for await (const e of s.read()) ids.push(e.letter.id);
      return ids;
    };
    expect(await read()).toEqual(['a']);
    expect(problems).toEqual([expect.stringMatching(/dlq\.ndjson:2: torn final line \(28 bytes/)]);
    problems.length = 0;
    await store.put([letter('b')]);
    expect(await read()).toEqual(['a', 'b']);
    expect(problems).toEqual([expect.stringMatching(/dlq\.ndjson:2: expected a JSON dead letter/)]);
    expect((await readFile(file, 'utf8')).split('\n')[2]).toBe(JSON.stringify(letter('b')));
  });
});
