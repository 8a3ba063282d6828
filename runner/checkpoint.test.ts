import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openFileCheckpointStore } from './checkpoint.js';

describe('openFileCheckpointStore', () => {
  it('keeps checkpointing after one write failed (the failure goes to that caller only)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
    const path = join(dir, 'state', 'checkpoint.json');
    const store = await openFileCheckpointStore(path);
    await store.advance('raw', 'shard-0', '100');
    // The directory goes away: the next write fails…
    await rm(join(dir, 'state'), { recursive: true });
    await expect(store.advance('raw', 'shard-0', '200')).rejects.toThrow(/ENOENT/);
    // …and once it is back, later writes succeed again with the whole state.
    const again = await openFileCheckpointStore(join(dir, 'state', 'other.json'));
    await again.advance('x', 'y', '1');
    await store.advance('raw', 'shard-0', '300');
    const saved = JSON.parse(await readFile(path, 'utf8'));
    expect(saved).toEqual({ version: 1, streams: { raw: { 'shard-0': { sequenceNumber: '300' } } } });
    const reopened = await openFileCheckpointStore(path);
    expect(reopened.get('raw', 'shard-0')).toEqual({ sequenceNumber: '300' });
    await rm(dir, { recursive: true, force: true });
  });

  it('only moves forward', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-ckpt-'));
    const path = join(dir, 'checkpoint.json');
    const store = await openFileCheckpointStore(path);
    await store.advance('raw', 's', '500');
    await store.advance('raw', 's', '499');
    expect(store.get('raw', 's')).toEqual({ sequenceNumber: '500' });
    expect(JSON.parse(await readFile(path, 'utf8')).streams.raw.s.sequenceNumber).toBe('500');
    await rm(dir, { recursive: true, force: true });
  });
});
