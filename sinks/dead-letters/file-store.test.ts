import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
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
