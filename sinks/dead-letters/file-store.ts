import { mkdir, open, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { DeadLetterError } from './errors.js';
import { decodeLetter, encodeLetter } from './letter.js';
import type { DeadLetter, DeadLetterStore, ReadOptions, StoredDeadLetter } from './types.js';

/**
 * A dead-letter store in one local NDJSON file (one letter per line; for `sluice start` and
 * local runs). `put` appends and fsyncs. `read` yields every letter present when it started; when
 * the iteration ends, the file is rewritten without the acked letters (atomically, via a temp
 * file), keeping lines appended meanwhile. A malformed line is skipped and kept (reported to
 * `opts.onMalformed` with its line number), never removed.
 */
export function createFileDeadLetterStore(file: string, opts: ReadOptions = {}): DeadLetterStore {
  return {
    async put(letters: readonly DeadLetter[]): Promise<void> {
      if (letters.length === 0) return;
      await mkdir(path.dirname(file), { recursive: true });
      const handle = await open(file, 'a');
      try {
        await handle.writeFile(`${letters.map(encodeLetter).join('\n')}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
    },
    read(): AsyncIterable<StoredDeadLetter> {
      return {
        async *[Symbol.asyncIterator]() {
          let text: string;
          try {
            text = await readFile(file, 'utf8');
          } catch (err) {
            if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
            throw err;
          }
          const end = text.lastIndexOf('\n') + 1; // only complete lines
          const lines = text.slice(0, end).split('\n').slice(0, -1);
          const acked = new Set<number>();
          try {
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
                ack: async () => {
                  acked.add(i);
                },
              };
            }
          } finally {
            if (acked.size > 0) {
              const now = await readFile(file, 'utf8');
              const head = text.slice(0, end);
              // Rewritten meanwhile by someone else: keep everything (a replayed letter read
              // again is indexed as a duplicate, never lost).
              if (now.startsWith(head)) {
                const kept = lines.filter((l, i) => !acked.has(i) && l.trim() !== '');
                const tmp = `${file}.${process.pid}.tmp`;
                await writeFile(tmp, `${kept.map((l) => `${l}\n`).join('')}${now.slice(end)}`);
                await rename(tmp, file);
              }
            }
          }
        },
      };
    },
  };
}
