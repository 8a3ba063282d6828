import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import { z } from 'zod';
import { RUNNER_ERROR_CODES, RunnerError } from './errors.js';

const ShardStateSchema = z
  .object({
    sequenceNumber: z.string().optional().describe('Last sequence number fully processed.'),
    closed: z.boolean().optional().describe('The shard is closed and every record of it was processed.'),
  })
  .strict();

const CheckpointFileSchema = z
  .object({
    version: z.literal(1),
    streams: z.record(z.string(), z.record(z.string(), ShardStateSchema)),
  })
  .strict();

/** Checkpoint of one shard. */
export type ShardState = z.infer<typeof ShardStateSchema>;

/** Where a runner keeps how far it got in each shard of each stream. */
export interface CheckpointStore {
  get(stream: string, shardId: string): ShardState | undefined;
  /** Records up to `sequenceNumber` are done (only moves forward). */
  advance(stream: string, shardId: string, sequenceNumber: string): Promise<void>;
  /** The shard is closed and fully processed: its children may start. */
  close(stream: string, shardId: string): Promise<void>;
}

/** Compares Kinesis sequence numbers (decimal strings of any length). */
export function compareSequence(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * A checkpoint store in one JSON file, written atomically (temp file + rename) after every
 * change, so a killed runner resumes where it stopped. Several runners in one process may
 * share one store (writes are serialised).
 */
export async function openFileCheckpointStore(path: string): Promise<CheckpointStore> {
  let state: z.infer<typeof CheckpointFileSchema> = { version: 1, streams: {} };
  let text: string | undefined;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (text !== undefined) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new RunnerError(
        RUNNER_ERROR_CODES.checkpoint,
        `checkpoint file ${path} is not JSON; expected a Sluice runner checkpoint (delete it to start over)`,
      );
    }
    const result = CheckpointFileSchema.safeParse(parsed);
    if (!result.success) {
      throw new RunnerError(
        RUNNER_ERROR_CODES.checkpoint,
        `checkpoint file ${path} is not a Sluice runner checkpoint (${result.error.issues.length} problems); expected {version: 1, streams: {…}}`,
      );
    }
    state = result.data;
  }
  await mkdir(dirname(path), { recursive: true });
  let writing: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const snapshot = JSON.stringify(state, null, 2);
    // A failed write fails its caller (whose batch is then not counted as done) but not the
    // writes after it: each one writes the whole state again.
    const next = writing
      .catch(() => undefined)
      .then(async () => {
        const tmp = `${path}.${process.pid}.tmp`;
        const file = await open(tmp, 'w');
        try {
          await file.writeFile(snapshot);
          // On disk before the rename, so a crash of the machine never leaves an empty checkpoint.
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(tmp, path);
      });
    writing = next;
    return next;
  };
  const shard = (stream: string, shardId: string): ShardState => {
    const shards = state.streams[stream] ?? {};
    state.streams[stream] = shards;
    const s = shards[shardId] ?? {};
    shards[shardId] = s;
    return s;
  };
  return {
    get: (stream, shardId) => state.streams[stream]?.[shardId],
    async advance(stream, shardId, sequenceNumber) {
      const s = shard(stream, shardId);
      if (s.sequenceNumber !== undefined && compareSequence(sequenceNumber, s.sequenceNumber) <= 0) return;
      s.sequenceNumber = sequenceNumber;
      await persist();
    },
    async close(stream, shardId) {
      shard(stream, shardId).closed = true;
      await persist();
    },
  };
}
