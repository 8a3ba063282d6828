import type { FamilySample, SampleSource } from './family.js';

const AWS_DOCS = (page: string): SampleSource => ({
  project: `AWS Lambda Developer Guide (${page}, awsdocs/aws-lambda-developer-guide doc_source at 03f7fcb)`,
  url: `https://github.com/awsdocs/aws-lambda-developer-guide/blob/03f7fcb0b771f031f7cb3aa43e8b18407c00b3a8/doc_source/${page}.md`,
  license: 'CC-BY-SA-4.0',
});
const REDSKAP: SampleSource = {
  project:
    'redskap/aws-lambda-java-runtime (src-docs troubleshooting: CloudWatch output of a failed invocation)',
  url: 'https://github.com/redskap/aws-lambda-java-runtime/blob/master/src-docs/src/troubleshooting/README.md',
  license: 'none stated in the repository (the lines are written by the Lambda platform)',
};

/** Lambda platform lines: REPORT with space separators, platform.fault, invocation errors. */
export const samples: readonly FamilySample[] = [
  {
    name: 'REPORT whose separators are spaces',
    line: 'REPORT RequestId: 8f507cfc-xmpl-4697-b07a-ac58fc914c95  Duration: 15.74 ms  Billed Duration: 16 ms Memory Size: 128 MB Max Memory Used: 56 MB  Init Duration: 130.49 ms',
    source: AWS_DOCS('python-logging'),
    expect: {
      log: { level: 'info', format: 'lambda_platform' },
      faas: { execution: '8f507cfc-xmpl-4697-b07a-ac58fc914c95', coldstart: true },
      lambda: {
        platform: 'report',
        report: {
          duration_ms: 15.74,
          billed_duration_ms: 16,
          memory_size_mb: 128,
          max_memory_used_mb: 56,
          init_duration_ms: 130.49,
        },
      },
    },
  },
  {
    name: 'REPORT with wide space separators',
    line: 'REPORT RequestId: 57f231fb-1730-4395-85cb-4f71bd2b87b8  Duration: 79.67 ms      Billed Duration: 80 ms         Memory Size: 128 MB     Max Memory Used: 73 MB',
    source: AWS_DOCS('python-logging'),
    expect: {
      lambda: {
        platform: 'report',
        report: { duration_ms: 79.67, billed_duration_ms: 80, memory_size_mb: 128, max_memory_used_mb: 73 },
      },
    },
  },
  {
    name: 'platform.fault keeps its text (message, error, request id)',
    line: '{"time": "2020-08-20T12:31:32.123Z","type": "platform.fault","record": "RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request"}',
    source: AWS_DOCS('runtimes-logs-api'),
    expect: {
      '@timestamp': '2020-08-20T12:31:32.123Z',
      message: 'RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request',
      log: { level: 'error', format: 'lambda_platform' },
      faas: { execution: 'd783b35e-a91d-4251-af17-035953428a2c' },
      lambda: { platform: 'fault' },
      error: {
        message: 'RequestId: d783b35e-a91d-4251-af17-035953428a2c Process exited before completing request',
      },
    },
  },
  {
    name: 'platform.extension keeps its record',
    line: '{"time": "2020-08-20T12:31:32.123Z","type": "platform.extension","record": {"name": "Foo.bar","state": "Ready","events": ["INVOKE", "SHUTDOWN"]}}',
    source: AWS_DOCS('runtimes-logs-api'),
    expect: {
      log: { level: 'info', format: 'lambda_platform' },
      lambda: { platform: 'extension' },
      attributes: { name: 'Foo.bar', state: 'Ready', events: ['INVOKE', 'SHUTDOWN'] },
    },
  },
  {
    name: 'Runtime exited with error: an error with the request id and Runtime.ExitError',
    line: 'RequestId: 1fa87a52-03db-478f-9b7e-92ce62d445cd Error: Runtime exited with error: exit status 1\nRuntime.ExitError',
    source: REDSKAP,
    expect: {
      log: { level: 'error', format: 'lambda_text' },
      faas: { execution: '1fa87a52-03db-478f-9b7e-92ce62d445cd' },
      error: { type: 'Runtime.ExitError', message: 'Runtime exited with error: exit status 1' },
    },
  },
  {
    name: 'Runtime.InvalidEntrypoint',
    line: 'RequestId: 8ba2e00d-c988-4304-a84e-6bd8801c510f Error: fork/exec /var/task/bootstrap: no such file or directory\nRuntime.InvalidEntrypoint',
    source: REDSKAP,
    expect: {
      log: { level: 'error' },
      faas: { execution: '8ba2e00d-c988-4304-a84e-6bd8801c510f' },
      error: {
        type: 'Runtime.InvalidEntrypoint',
        message: 'fork/exec /var/task/bootstrap: no such file or directory',
      },
    },
  },
];
