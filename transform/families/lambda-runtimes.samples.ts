import type { FamilySample, SampleSource } from './family.js';

const AWS_DOCS = (page: string): SampleSource => ({
  project: `AWS Lambda Developer Guide (${page}, awsdocs/aws-lambda-developer-guide doc_source at 03f7fcb)`,
  url: `https://github.com/awsdocs/aws-lambda-developer-guide/blob/03f7fcb0b771f031f7cb3aa43e8b18407c00b3a8/doc_source/${page}.md`,
  license: 'CC-BY-SA-4.0',
});
const PY_RIC: SampleSource = {
  project:
    'aws/aws-lambda-python-runtime-interface-client (tests/test_bootstrap.py: the stdout the runtime writes)',
  url: 'https://github.com/aws/aws-lambda-python-runtime-interface-client/blob/main/tests/test_bootstrap.py',
  license: 'Apache-2.0',
};
const RUBY_RIC: SampleSource = {
  project: 'aws/aws-lambda-ruby-runtime-interface-client (test/unit/resources/fd/test_file.txt)',
  url: 'https://github.com/aws/aws-lambda-ruby-runtime-interface-client/blob/main/test/unit/resources/fd/test_file.txt',
  license: 'Apache-2.0',
};

const DOTNET_RIC = (test: string): SampleSource => ({
  project: `aws/aws-lambda-dotnet (Amazon.Lambda.RuntimeSupport unit tests, ${test}: the line the runtime writes, with the values the test asserts)`,
  url: `https://github.com/aws/aws-lambda-dotnet/blob/master/Libraries/test/Amazon.Lambda.RuntimeSupport.Tests/Amazon.Lambda.RuntimeSupport.UnitTests/${test}.cs`,
  license: 'Apache-2.0',
});

/** Lambda runtime text lines of Python, Ruby, Java (log4j2 appender), Go and Node.js. */
export const samples: readonly FamilySample[] = [
  {
    name: 'Python text format (the docs render its tabs as spaces; the runtime writes tabs, awslambdaric bootstrap.py)',
    line: '[INFO]\t2020-01-31T22:12:58.534Z\t1c8df7d3-xmpl-46da-9778-518e6eca8125\t## ENVIRONMENT VARIABLES',
    source: AWS_DOCS('python-logging'),
    expect: {
      '@timestamp': '2020-01-31T22:12:58.534Z',
      message: '## ENVIRONMENT VARIABLES',
      log: { level: 'info', format: 'lambda_text' },
      faas: { execution: '1c8df7d3-xmpl-46da-9778-518e6eca8125' },
    },
  },
  {
    name: 'Python runtime error: type and message first, then the traceback joined with \\r',
    line: '[ERROR] FaultExceptionType: Fault exception msg\rTraceback (most recent call last):\r\u00a0\u00a0File "spam.py", line 3, in <module>\r\u00a0\u00a0\u00a0\u00a0spam.eggs()\r\u00a0\u00a0File "eggs.py", line 42, in eggs\r\u00a0\u00a0\u00a0\u00a0return "bacon"\n',
    source: PY_RIC,
    expect: {
      message: 'FaultExceptionType: Fault exception msg',
      log: { level: 'error', format: 'lambda_text' },
      error: {
        type: 'FaultExceptionType',
        message: 'Fault exception msg',
        stack_trace:
          'Traceback (most recent call last):\r\u00a0\u00a0File "spam.py", line 3, in <module>\r\u00a0\u00a0\u00a0\u00a0spam.eggs()\r\u00a0\u00a0File "eggs.py", line 42, in eggs\r\u00a0\u00a0\u00a0\u00a0return "bacon"',
      },
    },
  },
  {
    name: 'Python runtime error with a stack of plain lines',
    line: '[ERROR] ErrorType: Error message\rTraceback (most recent call last):\rline1\r\rline2\n',
    source: PY_RIC,
    expect: {
      log: { level: 'error', format: 'lambda_text' },
      error: { type: 'ErrorType', message: 'Error message' },
    },
  },
  {
    name: 'Python JSON log format: an uncaught error (stackTrace lines)',
    line: '{"errorMessage": "\'action\'", "errorType": "KeyError", "stackTrace": ["  File \\"/var/task/lambda_function.py\\", line 36, in lambda_handler\\n    result = ACTIONS[event[\'action\']](event[\'number\'])\\n"]}',
    source: AWS_DOCS('python-exceptions'),
    expect: {
      log: { level: 'error' },
      error: {
        type: 'KeyError',
        message: "'action'",
        stack_trace:
          "  File \"/var/task/lambda_function.py\", line 36, in lambda_handler\n    result = ACTIONS[event['action']](event['number'])\n",
      },
    },
  },
  {
    name: 'Ruby runtime Logger line with the request id',
    line: 'I, [2019-10-26T10:04:01.689856 #8]  INFO 6573a3a0-2fb1-4e78-a582-2c769282e0bd -- : ## EVENT',
    source: AWS_DOCS('ruby-logging'),
    expect: {
      '@timestamp': '2019-10-26T10:04:01.689Z',
      message: '## EVENT',
      log: { level: 'info', format: 'lambda_text' },
      faas: { execution: '6573a3a0-2fb1-4e78-a582-2c769282e0bd' },
    },
  },
  {
    name: 'Ruby runtime Logger line outside an invocation',
    line: 'I, [2025-01-26T09:46:34.324230 #64600]  INFO -- : Single frame written to a file',
    source: RUBY_RIC,
    expect: {
      '@timestamp': '2025-01-26T09:46:34.324Z',
      message: 'Single frame written to a file',
      log: { level: 'info', format: 'lambda_text' },
    },
    absent: ['faas.execution', 'log.logger'],
  },
  {
    name: 'Java runtime with the log4j2 appender: date, request id, level',
    line: '2020-03-18 08:52:43 6bc28136-xmpl-4365-b021-0ce6b2e64ab0 INFO  Handler - ENVIRONMENT VARIABLES:',
    source: AWS_DOCS('java-logging'),
    expect: {
      '@timestamp': '2020-03-18T08:52:43.000Z',
      message: 'Handler - ENVIRONMENT VARIABLES:',
      log: { level: 'info', format: 'text' },
      faas: { execution: '6bc28136-xmpl-4365-b021-0ce6b2e64ab0' },
    },
  },
  {
    name: "Go runtime: the standard log package's date",
    line: '2020/03/27 03:40:05 AWS_LAMBDA_FUNCTION_NAME=blank-go-function-9DV3XMPL6XBC',
    source: AWS_DOCS('golang-logging'),
    expect: {
      '@timestamp': '2020-03-27T03:40:05.000Z',
      message: 'AWS_LAMBDA_FUNCTION_NAME=blank-go-function-9DV3XMPL6XBC',
      log: { format: 'text' },
    },
  },
  {
    name: 'Node.js text format: a multi-line message joined with \\r',
    line: '2019-06-05T19:30:03.173Z\t4ce9340a-b765-490f-ad8a-02ab3415e2bf\tINFO\tEVENT\r{\r  "key": "value"\r}\n',
    source: AWS_DOCS('python-logging'),
    expect: {
      '@timestamp': '2019-06-05T19:30:03.173Z',
      message: 'EVENT\r{\r  "key": "value"\r}',
      log: { level: 'info', format: 'lambda_text' },
      faas: { execution: '4ce9340a-b765-490f-ad8a-02ab3415e2bf' },
    },
  },
  {
    name: '.NET runtime JSON format (RuntimeSupport JsonLogMessageFormatter): timestamp, level, requestId first, then the template properties',
    line: '{"timestamp":"2024-06-19T23:13:05.068Z","level":"Warning","requestId":"1234","message":"Hello AWS","name":"AWS"}',
    source: DOTNET_RIC('LogMessageFormatterTests'),
    expect: {
      '@timestamp': '2024-06-19T23:13:05.068Z',
      message: 'Hello AWS',
      log: { level: 'warn', format: 'lambda_json' },
      faas: { execution: '1234' },
      attributes: { name: 'AWS' },
    },
  },
  {
    name: '.NET runtime JSON format with the X-Ray trace header of the invocation as traceId',
    line: '{"timestamp":"2024-06-19T23:13:05.068Z","level":"Information","requestId":"8f711428-7e55-4f9e-a5ec-5c47c7a5e4c7","traceId":"Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1","message":"Our product is Widget 100","product":"Widget 100"}',
    source: DOTNET_RIC('LogMessageFormatterTests'),
    expect: {
      message: 'Our product is Widget 100',
      log: { level: 'info', format: 'lambda_json' },
      faas: { execution: '8f711428-7e55-4f9e-a5ec-5c47c7a5e4c7' },
      trace: { id: '1-5759e988-bd862e3fe1be46a994272793' },
      attributes: { product: 'Widget 100' },
    },
  },
  {
    name: ".NET runtime text format (Default): time, request id, the logger's short level name, message",
    line: '2024-06-19T23:13:05.068Z\t8f711428-7e55-4f9e-a5ec-5c47c7a5e4c7\tfail\tTest log message',
    source: DOTNET_RIC('LogLevelLoggerWriterTest'),
    expect: {
      '@timestamp': '2024-06-19T23:13:05.068Z',
      message: 'Test log message',
      log: { level: 'error', format: 'lambda_text' },
      faas: { execution: '8f711428-7e55-4f9e-a5ec-5c47c7a5e4c7' },
    },
  },
];
