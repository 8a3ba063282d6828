import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInProcess } from '../../test/e2e/start-local.js';
import { logEvent, T0 } from '../../test/factories/search-events.js';
import type { RunningStart } from '../start.js';
import { csvCell, csvEventRow, csvRow, exportColumns } from './export.js';

describe('CSV cells (RFC 4180, formula-safe)', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['cr\rlf', '"cr\rlf"'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-cmd', "'-cmd"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', '"\'\rx"'],
    ['=HYPERLINK("http://x","y")', '"\'=HYPERLINK(""http://x"",""y"")"'],
    ['-5', '-5'],
    ['-12.5e3', '-12.5e3'],
    ['-1+2', "'-1+2"],
    ['a=b', 'a=b'],
  ])('%j → %j', (value, cell) => {
    expect(csvCell(value)).toBe(cell);
  });

  it('writes records with CRLF and a column per field, empty for a missing one', () => {
    expect(csvRow(['a', 'b,c'])).toBe('a,"b,c"\r\n');
    const e = logEvent('e1', T0, 'pay "svc" v2', 'error', '=cmd|calc', { attributes: { n: 3 } });
    expect(csvEventRow(e, ['@timestamp', 'service.name', 'message', 'attributes.n', 'error.type'])).toBe(
      `2026-01-01T12:00:00.000Z,"pay ""svc"" v2",'=cmd|calc,3,\r\n`,
    );
  });

  it('reads the columns parameter with aliases, refusing bad names', () => {
    expect(exportColumns(null)).toContain('message');
    expect(exportColumns('service,attributes.order_id')).toEqual(['service.name', 'attributes.order_id']);
    expect(() => exportColumns('a b')).toThrow(/field names/);
    expect(() => exportColumns(Array.from({ length: 101 }, () => 'x').join(','))).toThrow(/at most 100/);
  });
});

interface Download {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  trailers: Record<string, string | undefined>;
  body: string;
}

describe('GET /api/export on sluice start', () => {
  let dir: string;
  let app: RunningStart;
  const get = (path: string): Promise<Download> =>
    new Promise((resolve, reject) => {
      const req = request(`${app.url}${path}`, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => {
          body += c;
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body }),
        );
      });
      req.on('error', reject);
      req.end();
    });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-export-'));
    app = await startInProcess(dir, { sources: { demo: { enabled: false } } });
    // 1,200 pino lines (more than two export pages), one per millisecond, one with a formula.
    const lines = Array.from({ length: 1200 }, (_, i) =>
      JSON.stringify({
        level: 30,
        time: T0 + i,
        name: i % 2 ? 'orders' : 'pay "svc" v2',
        msg: i === 7 ? '=2+5' : `line ${i}`,
      }),
    );
    const res = await fetch(`${app.url}/ingest/ndjson`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-ndjson' },
      body: `${lines.join('\n')}\n`,
    });
    expect(res.status).toBe(202);
    for (let i = 0; i < 200 && app.pipeline.stats().indexed < 1200; i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(app.pipeline.stats().indexed).toBe(1200);
  });
  afterAll(async () => {
    await app?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams every matching event as NDJSON, in the requested order, as an attachment', async () => {
    const d = await get(`/api/export?format=ndjson&sort=asc&from=${T0}&to=${T0 + 10_000}`);
    expect(d.status).toBe(200);
    expect(d.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(d.headers['content-disposition']).toMatch(/^attachment; filename="sluice-export-.*\.ndjson"$/);
    expect(d.headers['x-content-type-options']).toBe('nosniff');
    const events = d.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string });
    expect(events).toHaveLength(1200);
    expect(events[0]?.message).toBe('line 0');
    expect(events.at(-1)?.message).toBe('line 1199');
    expect(d.trailers['x-sluice-export-truncated']).toBe('false');
  });

  it('exports the matching events as CSV with the chosen columns, quoted and formula-safe', async () => {
    const q = encodeURIComponent('service.name:"pay \\"svc\\" v2"');
    const d = await get(`/api/export?format=csv&q=${q}&from=${T0}&to=${T0 + 20}&columns=service,message`);
    expect(d.headers['content-type']).toMatch(/^text\/csv/);
    expect(d.body).toBe(
      [
        'service.name,message',
        ...[18, 16, 14, 12, 10, 8, 6, 4, 2, 0].map((i) => `"pay ""svc"" v2",line ${i}`),
        '',
      ].join('\r\n'),
    );
    const formula = await get(`/api/export?format=csv&q=line*&from=${T0 + 7}&to=${T0 + 8}&columns=message`);
    expect(formula.body).toBe('message\r\n');
    const f2 = await get(`/api/export?format=csv&from=${T0 + 7}&to=${T0 + 8}&columns=message`);
    expect(f2.body).toBe("message\r\n'=2+5\r\n");
  });

  it('stops at the limit and says it was cut', async () => {
    const d = await get(`/api/export?format=ndjson&limit=700&from=${T0}&to=${T0 + 10_000}`);
    expect(d.headers['x-sluice-export-limit']).toBe('700');
    const events = d.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as { message: string });
    expect(events).toHaveLength(700);
    expect(events[0]?.message).toBe('line 1199');
    expect(d.trailers['x-sluice-export-truncated']).toBe('true');
    const exact = await get(`/api/export?format=ndjson&limit=1200&from=${T0}&to=${T0 + 10_000}`);
    expect(exact.body.trimEnd().split('\n')).toHaveLength(1200);
    expect(exact.trailers['x-sluice-export-truncated']).toBe('false');
  });
});
