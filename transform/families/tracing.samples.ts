import type { FamilySample, SampleSource } from './family.js';

const TESTS: SampleSource = {
  project: 'tokio-rs/tracing (tracing-subscriber fmt/format/json.rs tests)',
  url: 'https://github.com/tokio-rs/tracing/blob/master/tracing-subscriber/src/fmt/format/json.rs',
  license: 'MIT',
};
const DOCS: SampleSource = {
  project: 'tokio-rs/tracing (tracing-subscriber fmt/format/mod.rs docs)',
  url: 'https://github.com/tokio-rs/tracing/blob/master/tracing-subscriber/src/fmt/format/mod.rs',
  license: 'MIT',
};

/** Real tracing-subscriber JSON lines. */
export const samples: readonly FamilySample[] = [
  {
    name: 'fields.message, span and spans',
    line: '{"timestamp":"fake time","level":"INFO","span":{"answer":42,"name":"json_span","number":3,"slice":[97,98,99]},"spans":[{"answer":42,"name":"json_span","number":3,"slice":[97,98,99]}],"target":"tracing_subscriber::fmt::format::json::test","fields":{"message":"some json test"}}',
    source: TESTS,
    expect: {
      message: 'some json test',
      log: { level: 'info', format: 'tracing', logger: 'tracing_subscriber::fmt::format::json::test' },
      attributes: { timestamp: 'fake time', span: { name: 'json_span' }, spans: [{ name: 'json_span' }] },
    },
    absent: ['attributes.fields'],
  },
  {
    name: 'flatten_event: message at the top',
    line: '{"timestamp":"fake time","level":"INFO","span":{"answer":42,"name":"json_span","number":3},"spans":[{"answer":42,"name":"json_span","number":3}],"target":"tracing_subscriber::fmt::format::json::test","message":"some json test"}',
    source: TESTS,
    expect: { message: 'some json test', log: { level: 'info', format: 'tracing' } },
  },
  {
    name: 'other fields stay under fields',
    line: '{"timestamp":"Feb 20 11:28:15.096","level":"INFO","target":"mycrate","fields":{"message":"some message", "key": "value"}}',
    source: DOCS,
    expect: {
      message: 'some message',
      log: { level: 'info', format: 'tracing', logger: 'mycrate' },
      attributes: { fields: { key: 'value' }, timestamp: 'Feb 20 11:28:15.096' },
    },
  },
];
