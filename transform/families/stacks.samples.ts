import type { FamilySample, SampleSource } from './family.js';

const POWERTOOLS = (file: string): SampleSource => ({
  project: `aws-powertools/powertools-lambda-python (examples/logger/src/${file})`,
  url: `https://github.com/aws-powertools/powertools-lambda-python/blob/develop/examples/logger/src/${file}`,
  license: 'MIT-0',
});
const AWS_DOCS = (page: string): SampleSource => ({
  project: `AWS Lambda Developer Guide (${page}, awsdocs/aws-lambda-developer-guide doc_source at 03f7fcb)`,
  url: `https://github.com/awsdocs/aws-lambda-developer-guide/blob/03f7fcb0b771f031f7cb3aa43e8b18407c00b3a8/doc_source/${page}.md`,
  license: 'CC-BY-SA-4.0',
});

/** Powertools for Python lines (timestamps with a comma and an offset) and stacks outside `err`. */
export const samples: readonly FamilySample[] = [
  {
    name: 'Powertools for Python: inject_lambda_context output, +0200 timestamp',
    line: '{"level": "INFO", "location": "collect.handler:7", "message": "Collecting payment", "timestamp": "2021-05-03 11:47:12,494+0200", "service": "payment", "cold_start": true, "lambda_function_name": "test", "lambda_function_memory_size": 128, "lambda_function_arn": "arn:aws:lambda:eu-west-1:12345678910:function:test", "lambda_request_id": "52fdfc07-2182-154f-163f-5f0f9a621d72"}',
    source: POWERTOOLS('inject_lambda_context_output.json'),
    expect: {
      '@timestamp': '2021-05-03T09:47:12.494Z',
      message: 'Collecting payment',
      log: { level: 'info', format: 'powertools' },
      service: { name: 'payment' },
      faas: { execution: '52fdfc07-2182-154f-163f-5f0f9a621d72', name: 'test', coldstart: true },
      attributes: { location: 'collect.handler:7', lambda_function_memory_size: 128 },
    },
  },
  {
    name: 'Powertools for Python: logger.exception (traceback text, exception_name)',
    line: '{"level": "ERROR", "location": "collect.handler:15", "message": "Received a HTTP 5xx error", "timestamp": "2021-05-03 11:47:12,494+0000", "service": "payment", "exception_name": "RuntimeError", "exception": "Traceback (most recent call last):\\n  File \\"<input>\\", line 2, in <module> RuntimeError: Unable to fullfil request"}',
    source: POWERTOOLS('logging_exceptions_output.json'),
    expect: {
      '@timestamp': '2021-05-03T11:47:12.494Z',
      message: 'Received a HTTP 5xx error',
      log: { level: 'error' },
      error: {
        type: 'RuntimeError',
        stack_trace:
          'Traceback (most recent call last):\n  File "<input>", line 2, in <module> RuntimeError: Unable to fullfil request',
      },
    },
    absent: ['attributes.exception', 'attributes.exception_name'],
  },
  {
    name: 'Powertools for Python: a -0400 style offset (set to UTC+1)',
    line: '{"level": "INFO", "location": "<module>:7", "message": "GMT time zone", "timestamp": "2022-06-24 09:39:49,421+0100", "service": "order"}',
    source: POWERTOOLS('setting_utc_timestamp_output.json'),
    expect: {
      '@timestamp': '2022-06-24T08:39:49.421Z',
      message: 'GMT time zone',
      service: { name: 'order' },
    },
  },
  {
    name: 'Java runtime error: a stackTrace array in a cause chain stays in attributes',
    line: '{"errorMessage": "An error occurred during JSON parsing", "errorType": "java.lang.RuntimeException", "stackTrace": [], "cause": {"errorMessage": "com.fasterxml.jackson.databind.exc.InvalidFormatException: Can not construct instance of java.lang.Integer from String value \'1000,10\': not a valid Integer value\\n at [Source: lambdainternal.util.NativeMemoryAsInputStream@35fc6dc4; line: 1, column: 1] (through reference chain: java.lang.Object[0])", "errorType": "java.io.UncheckedIOException", "stackTrace": []}}',
    source: AWS_DOCS('java-exceptions'),
    expect: {
      log: { level: 'error' },
      error: { type: 'java.lang.RuntimeException', message: 'An error occurred during JSON parsing' },
      attributes: { cause: { errorType: 'java.io.UncheckedIOException' } },
    },
  },
];
