import { describe, expect, it } from 'vitest';
import {
  awslogsEventOf,
  CONTROL_MESSAGE,
  encodeCwlData,
  firehoseEventOf,
  kinesisEventOf,
  makeEnvelope,
} from '../test/factories/cwl.js';
import { detectLine } from './detect.js';

const env = makeEnvelope(['hello']);
const data = encodeCwlData(env);

describe.each<[string, string, string, string[]]>([
  ['a plain text line', 'hello world', 'raw', []],
  ['a JSON log line', '{"level":30,"msg":"x"}', 'raw', []],
  ['a JSON log line that mentions Records', '{"msg":"x","Records":3}', 'raw', []],
  ['a CWL payload as JSON', JSON.stringify(env), 'cwl_json', ['data']],
  ['a CONTROL_MESSAGE as JSON', JSON.stringify(CONTROL_MESSAGE), 'cwl_json', ['control']],
  [
    'a Kinesis event',
    JSON.stringify(kinesisEventOf([data, 'bad!', data])),
    'kinesis_event',
    ['data', 'error', 'data'],
  ],
  ['a Firehose event', JSON.stringify(firehoseEventOf([data])), 'firehose_event', ['data']],
  ['an awslogs event', JSON.stringify(awslogsEventOf(data)), 'awslogs_event', ['data']],
  ['a base64 Kinesis record', data, 'kinesis_data', ['data']],
  ['a base64 record with trailing spaces', `${data}  `, 'kinesis_data', ['data']],
  ['a truncated base64 record', data.slice(0, 40), 'kinesis_data', ['error']],
  ['text starting with H4sI', 'H4sI is how gzip looks in base64', 'raw', []],
])('%s', (_name, line, kind, results) => {
  it(`is detected as ${kind}`, () => {
    const d = detectLine(line);
    expect(d.kind).toBe(kind);
    expect(d.kind === 'raw' ? [] : d.payloads.map((p) => p.result.kind)).toEqual(results);
  });
});
