import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeadLetterError } from './errors.js';
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

/**
 * A dead-letter store in one local NDJSON file (one letter per line; for `sluice start` and
 * local runs). `put` appends and fsyncs. `read` yields the letters present when it started; acked
 * letters are removed by rewriting the file atomically (temp file + rename), coalescing acks that
 * arrive together, also after the iteration ended. Lines appended meanwhile are kept. A malformed
 * line is skipped and kept (reported to `opts.onMalformed` with its line number).
 */
export function createFileDeadLetterStore(file: string, opts: ReadOptions = {}): DeadLetterStore {
  const pending = new Map<string, number>(); // acked line text → how many occurrences to remove
  let flushing: Promise<void> | undefined;

  async function flush(): Promise<void> {
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
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Letters hold originals that could not be redacted (undecodable records): owner-only.
      const handle = await open(file, 'a', 0o600);
      try {
        await handle.chmod(0o600);
        await handle.writeFile(`${letters.map(encodeLetter).join('\n')}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    async count(): Promise<number> {
      return (await readText(file)).split('\n').filter((l) => l.trim() !== '').length;
    },
    read(): AsyncIterable<StoredDeadLetter> {
      return {
        async *[Symbol.asyncIterator]() {
          const text = await readText(file);
          const lines = text.slice(0, text.lastIndexOf('\n') + 1).split('\n');
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
        },
      };
    },
  };
}
