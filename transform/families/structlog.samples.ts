import type { FamilySample, SampleSource } from './family.js';

const DOCS: SampleSource = {
  project: 'hynek/structlog (docs)',
  url: 'https://github.com/hynek/structlog/tree/main/docs',
  license: 'MIT OR Apache-2.0',
};

/** Real structlog JSONRenderer output from its docs. */
export const samples: readonly FamilySample[] = [
  {
    name: 'event, logger, level, timestamp',
    line: '{"event": "hello", "logger": "test", "level": "warning", "timestamp": "2017-03-06T07:39:09.518720Z"}',
    source: DOCS,
    expect: {
      '@timestamp': '2017-03-06T07:39:09.518Z',
      message: 'hello',
      log: { level: 'warn', format: 'structlog', logger: 'test' },
    },
    absent: ['attributes.event'],
  },
  {
    name: 'event, level, timestamp',
    line: '{"event":"hello","level":"info","timestamp":"2023-11-02T08:03:38.298565Z"}',
    source: DOCS,
    expect: {
      '@timestamp': '2023-11-02T08:03:38.298Z',
      message: 'hello',
      log: { level: 'info', format: 'structlog' },
    },
  },
];
