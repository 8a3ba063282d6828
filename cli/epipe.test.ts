import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openSqliteStore } from '../sinks/sqlite/store.js';
import { logEvent, T0 } from '../test/factories/search-events.js';

const root = path.resolve(import.meta.dirname, '..');
const dir = mkdtempSync(path.join(tmpdir(), 'sluice-epipe-'));

beforeAll(async () => {
  const store = openSqliteStore({ path: path.join(dir, 'events.db') });
  await store.write(
    Array.from({ length: 600 }, (_, i) =>
      logEvent(`e${i}`, T0 + i, 'orders', 'info', `order ${'x'.repeat(300)} ${i}`),
    ),
  );
  await store.close();
});

describe('bin/sluice.js', () => {
  it('ends quietly with exit 0 when its reader goes away (sluice search … | head)', async () => {
    const child = spawn(
      process.execPath,
      [
        'bin/sluice.js',
        'search',
        '--store',
        dir,
        '--since',
        new Date(T0 - 1000).toISOString(),
        '--limit',
        '500',
        '--json',
      ],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    // 500 events of ~700 bytes: more than a pipe buffer holds, so the writer is still writing when the reader leaves.
    await new Promise<void>((done) => child.stdout.once('data', () => done()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((done) => child.on('exit', (c) => done(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });
});
