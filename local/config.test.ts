import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../cli/command.js';
import { loadStartConfig } from '../cli/commands/start.js';
import { parseStartConfig, startConfigJsonSchema } from './config.js';
import { StartConfigError } from './errors.js';

describe('the start config file', () => {
  it('fills every default from an empty file', () => {
    const cfg = parseStartConfig('', 'empty.yaml');
    expect(cfg).toMatchObject({
      data_dir: '.sluice',
      http: { host: '127.0.0.1', port: 4600 },
      sources: { demo: { enabled: true }, stdin: false, http: true },
      sink: { kind: 'sqlite', retention_hours: 168 },
    });
  });

  it('reads a size cap for the embedded store and refuses one under 16 MB', () => {
    expect(parseStartConfig('sink: { kind: sqlite, max_store_mb: 2048 }\n', 'r.yaml').sink).toEqual({
      kind: 'sqlite',
      retention_hours: 168,
      max_store_mb: 2048,
    });
    expect(() => parseStartConfig('sink: { kind: sqlite, max_store_mb: 1 }\n', 'r.yaml')).toThrow(
      /sink\.max_store_mb/,
    );
  });

  it('reads the embedded store retention and refuses a retention under an hour', () => {
    expect(parseStartConfig('sink: { kind: sqlite, retention_hours: 24 }\n', 'r.yaml').sink).toEqual({
      kind: 'sqlite',
      retention_hours: 24,
    });
    expect(() => parseStartConfig('sink: { kind: sqlite, retention_hours: 0 }\n', 'r.yaml')).toThrow(
      /line 1:\d+: sink\.retention_hours/,
    );
  });

  it('reads an OpenSearch sink and sources', () => {
    const cfg = parseStartConfig(
      'sink: { kind: opensearch, url: "http://127.0.0.1:9201" }\nsources: { stdin: true, demo: { enabled: false } }\n',
      'c.yaml',
    );
    expect(cfg.sink).toEqual({
      kind: 'opensearch',
      url: 'http://127.0.0.1:9201',
      index_prefix: 'sluice-logs',
    });
    expect(cfg.sources.demo.enabled).toBe(false);
  });

  it('lists every problem with its path and line, and rejects unknown keys', () => {
    const text = 'http:\n  port: 99999\n  colour: blue\nsink: { kind: elastic }\n';
    let err: unknown;
    try {
      parseStartConfig(text, 'bad.yaml');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StartConfigError);
    const problems = (err as StartConfigError).problems.join('\n');
    expect(problems).toMatch(/line 2:\d+: http\.port/);
    expect(problems).toMatch(/colour/);
    expect(problems).toMatch(/line 4:\d+: sink\.kind/);
  });

  it('reports YAML syntax errors with a line', () => {
    expect(() => parseStartConfig('http: [\n', 'x.yaml')).toThrow(/line \d+:\d+/);
  });

  it('keeps docs/start-config.schema.json in step with the zod schema', () => {
    const file = JSON.parse(
      readFileSync(new URL('../docs/start-config.schema.json', import.meta.url), 'utf8'),
    );
    expect(file).toEqual(startConfigJsonSchema());
  });
});

describe('sluice start flags', () => {
  it('override the config file', async () => {
    const { cfg } = await loadStartConfig(
      ['--port', '0', '--no-demo', '--stdin', '--opensearch', 'http://127.0.0.1:9201', '--data-dir', 'd'],
      '/tmp',
    );
    expect(cfg.http.port).toBe(0);
    expect(cfg.sources).toMatchObject({ demo: { enabled: false }, stdin: true });
    expect(cfg.sink).toMatchObject({ kind: 'opensearch', url: 'http://127.0.0.1:9201' });
    expect(cfg.data_dir).toBe('d');
  });

  it.each([
    [['--port', 'abc'], /--port/],
    [['--bogus'], /Unknown option/],
    [['--opensearch', 'not a url'], /sink\.url/],
    [['--config', '/nonexistent.yaml'], /cannot read the config file/],
    [['--kinesis-endpoint', 'http://127.0.0.1:5000'], /needs --kinesis/],
  ])('rejects %j as bad usage (exit 2)', async (argv, message) => {
    await expect(loadStartConfig(argv, '/tmp')).rejects.toThrow(UsageError);
    await expect(loadStartConfig(argv, '/tmp')).rejects.toThrow(message);
  });
});
