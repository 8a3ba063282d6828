import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DEAD_LETTER_ERROR_CODES, DeadLetterError } from './errors.js';
import { decodeLetter, encodeLetter } from './letter.js';
import type { DeadLetter, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return '';
    throw err;
  }
}

// One queue per file for the whole process: every store on the same path (the sink's, the ingest
// stage's, a replay's) appends and rewrites in turn, so letters are never interleaved or lost.
const queues = new Map<string, Promise<unknown>>();

/** Runs `task` after every earlier task on `file` settled (a per-file mutex). */
function serialised<T>(file: string, task: () => Promise<T>): Promise<T> {
  const key = path.resolve(file);
  const run = (queues.get(key) ?? Promise.resolve()).then(task, task);
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

/** Appends `text` with one `write(2)` on an O_APPEND handle (looping only on a short write) and fsyncs. */
async function appendWhole(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  // Letters hold originals that could not be redacted (undecodable records): owner-only.
  const handle = await open(file, 'a+', 0o600);
  try {
    await handle.chmod(0o600);
    // A line cut short by a crash must stay a line of its own, never glue onto the next letter.
    const { size } = await handle.stat();
    let head = '';
    if (size > 0) {
      const last = Buffer.alloc(1);
      await handle.read(last, 0, 1, size - 1);
      if (last[0] !== 0x0a) head = '\n';
    }
    const buf = Buffer.from(head + text);
    let off = 0;
    while (off < buf.length) {
      const { bytesWritten } = await handle.write(buf, off, buf.length - off);
      off += bytesWritten;
    }
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * A dead-letter store in one local NDJSON file (one letter per line; for `sluice start` and
 * local runs). `put` writes a batch of letters whole: one append (a single `write` on an
 * O_APPEND handle) and one fsync per batch, one batch at a time per file in this process — two
 * batches dead-lettered at once never interleave. `read` yields the letters present when it
 * started; acked letters are removed by rewriting the file atomically (temp file + rename, in the
 * same queue as the appends, so a letter put meanwhile is kept), coalescing acks that arrive
 * together, also after the iteration ended. A malformed line is skipped and kept, and reported to
 * `opts.onMalformed` with its line number — also a torn final line (no newline: a write cut short
 * by a crash), which a later `put` leaves on a line of its own.
 */
export function createFileDeadLetterStore(file: string, opts: ReadOptions = {}): DeadLetterStore {
  const pending = new Map<string, number>(); // acked line text → how many occurrences to remove
  let flushing: Promise<void> | undefined;

  function flush(): Promise<void> {
    return serialised(file, rewrite);
  }

  async function rewrite(): Promise<void> {
    if (pending.size === 0) return;
    const remove = new Map(pending);
    pending.clear();
    const lines = (await readText(file)).split('\n');
    const kept: string[] = [];
    for (const line of lines) {
      const n = remove.get(line);
      if (n) {
        remove.set(line, n - 1);
        continue;
      }
      if (line !== '') kept.push(line);
    }
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    await rename(tmp, file);
  }

  function scheduleFlush(): Promise<void> {
    flushing ??= Promise.resolve()
      .then(flush)
      .finally(() => {
        flushing = undefined;
      });
    return flushing;
  }

  return {
    async put(letters: readonly DeadLetter[]): Promise<void> {
      if (letters.length === 0) return;
      const text = `${letters.map(encodeLetter).join('\n')}\n`;
      await serialised(file, () => appendWhole(file, text));
    },
    async count(): Promise<number> {
      return (await readText(file)).split('\n').filter((l) => l.trim() !== '').length;
    },
    read(): AsyncIterable<StoredDeadLetter> {
      return {
        async *[Symbol.asyncIterator]() {
          const text = await readText(file);
          const end = text.lastIndexOf('\n') + 1;
          const lines = text.slice(0, end).split('\n');
          for (let i = 0; i < lines.length; i++) {
            const line = lines[i] as string;
            if (line.trim() === '') continue;
            let letter: DeadLetter;
            try {
              letter = decodeLetter(line, `${file}:${i + 1}`);
            } catch (err) {
              opts.onMalformed?.(err as DeadLetterError);
              continue;
            }
            yield {
              letter,
              ack: () => {
                pending.set(line, (pending.get(line) ?? 0) + 1);
                return scheduleFlush();
              },
            };
          }
          if (end < text.length) {
            const n = lines.length; // the line after the last newline
            opts.onMalformed?.(
              new DeadLetterError(
                DEAD_LETTER_ERROR_CODES.malformed,
                `${file}:${n}: torn final line (${Buffer.byteLength(text.slice(end))} bytes without a newline: a write was cut short); skipped and left in place`,
              ),
            );
          }
        },
      };
    },
  };
}
