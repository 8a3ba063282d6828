import type { FamilySample, SampleSource } from './family.js';

const HANDLER_TESTS: SampleSource = {
  project:
    'googleapis/python-logging (tests/unit/handlers/test_structured_log.py: the payload StructuredLogHandler writes, as its tests expect it)',
  url: 'https://github.com/googleapis/python-logging/blob/main/tests/unit/handlers/test_structured_log.py',
  license: 'Apache-2.0',
};

/** Google Cloud Logging structured JSON as Google's own handler writes it. */
export const samples: readonly FamilySample[] = [
  {
    name: 'StructuredLogHandler without a trace: empty trace fields stay in attributes',
    line: '{"message":"hello world，嗨 世界","severity":"INFO","logging.googleapis.com/trace":"","logging.googleapis.com/spanId":"","logging.googleapis.com/trace_sampled":false,"logging.googleapis.com/sourceLocation":{"file":"testpath","line":1,"function":"test-function"},"httpRequest":{},"logging.googleapis.com/labels":{"default_key":"default-value","python_logger":"loggername"}}',
    source: HANDLER_TESTS,
    expect: {
      message: 'hello world，嗨 世界',
      log: { level: 'info', format: 'gcp' },
      attributes: {
        'logging.googleapis.com/trace': '',
        'logging.googleapis.com/sourceLocation': { file: 'testpath', line: 1, function: 'test-function' },
      },
    },
    absent: ['trace', 'span'],
  },
  {
    name: 'StructuredLogHandler with a traceparent: trace and span ids',
    line: '{"message":"hello world，嗨 世界","severity":"INFO","logging.googleapis.com/trace":"4bf92f3577b34da6a3ce929d0e0e4736","logging.googleapis.com/spanId":"00f067aa0ba902b7","logging.googleapis.com/trace_sampled":true,"httpRequest":{"requestMethod":"GET","requestUrl":"http://testserver/123","userAgent":"Mozilla/5.0","protocol":"HTTP/1.1"}}',
    source: HANDLER_TESTS,
    expect: {
      log: { level: 'info', format: 'gcp' },
      trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' },
      span: { id: '00f067aa0ba902b7' },
      attributes: { httpRequest: { requestMethod: 'GET' }, 'logging.googleapis.com/trace_sampled': true },
    },
  },
];
