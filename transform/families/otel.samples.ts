import type { FamilySample, SampleSource } from './family.js';

const PROTO: SampleSource = {
  project: 'open-telemetry/opentelemetry-proto (examples/logs.json, the LogRecord of its resourceLogs)',
  url: 'https://github.com/open-telemetry/opentelemetry-proto/blob/main/examples/logs.json',
  license: 'Apache-2.0',
};
const DATA_MODEL: SampleSource = {
  project:
    'OpenTelemetry logs data model, "Example Log Records" (OTEP 0097), as quoted in signalfx/golib logsink/log_example.go',
  url: 'https://github.com/signalfx/golib/blob/v3.3.53/logsink/log_example.go',
  license: 'Apache-2.0',
};

const PROTO_EXPORT: SampleSource = {
  project:
    'open-telemetry/opentelemetry-proto (examples/logs.json at 36ea555, the whole LogsData export put on one line)',
  url: 'https://github.com/open-telemetry/opentelemetry-proto/blob/36ea555013eacfbe68fc479014d3532e4650af8e/examples/logs.json',
  license: 'Apache-2.0',
};

/** Real OpenTelemetry log records. */
export const samples: readonly FamilySample[] = [
  {
    name: 'OTLP JSON export (resourceLogs → scopeLogs → logRecords) on one line: split per record, resource and scope kept',
    line: '{"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},"scopeLogs":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute","value":{"stringValue":"some scope attribute"}}]},"logRecords":[{"timeUnixNano":1544712660300000000,"observedTimeUnixNano":1544712660300000000,"severityText":"Information","traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","body":{"stringValue":"Example log record"},"attributes":[{"key":"string.attribute","value":{"stringValue":"some string"}},{"key":"boolean.attribute","value":{"boolValue":true}},{"key":"int.attribute","value":{"intValue":10}},{"key":"double.attribute","value":{"doubleValue":637.704}},{"key":"array.attribute","value":{"arrayValue":{"values":[{"stringValue":"many"},{"stringValue":"values"}]}}},{"key":"map.attribute","value":{"kvlistValue":{"values":[{"key":"some.map.key","value":{"stringValue":"some value"}}]}}}]}]}]}]}',
    source: PROTO_EXPORT,
    expect: {
      '@timestamp': '2018-12-13T14:51:00.300Z',
      message: 'Example log record',
      log: { level: 'info', format: 'otel' },
      service: { name: 'my.service' },
      trace: { id: '5b8efff798038103d269b633813fc60c' },
      span: { id: 'eee19b7ec3c1b174' },
      attributes: {
        scope: {
          name: 'my.library',
          version: '1.0.0',
          attributes: { 'my.scope.attribute': 'some scope attribute' },
        },
        attributes: { 'int.attribute': 10, 'map.attribute': { 'some.map.key': 'some value' } },
      },
    },
    absent: ['attributes.resourceLogs', 'attributes.body'],
  },
  {
    name: 'OTLP JSON LogRecord: nanosecond time, hex ids, AnyValue body, KeyValue attributes',
    line: '{"timeUnixNano":"1544712660300000000","observedTimeUnixNano":"1544712660300000000","severityNumber":10,"severityText":"Information","traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174","body":{"stringValue":"Example log record"},"attributes":[{"key":"string.attribute","value":{"stringValue":"some string"}},{"key":"boolean.attribute","value":{"boolValue":true}},{"key":"int.attribute","value":{"intValue":"10"}},{"key":"double.attribute","value":{"doubleValue":637.704}},{"key":"array.attribute","value":{"arrayValue":{"values":[{"stringValue":"many"},{"stringValue":"values"}]}}},{"key":"map.attribute","value":{"kvlistValue":{"values":[{"key":"some.map.key","value":{"stringValue":"some value"}}]}}}]}',
    source: PROTO,
    expect: {
      '@timestamp': '2018-12-13T14:51:00.300Z',
      message: 'Example log record',
      log: { level: 'info', format: 'otel' },
      trace: { id: '5b8efff798038103d269b633813fc60c' },
      span: { id: 'eee19b7ec3c1b174' },
      attributes: {
        observedTimeUnixNano: '1544712660300000000',
        severityNumber: 10,
        attributes: {
          'string.attribute': 'some string',
          'boolean.attribute': true,
          'int.attribute': 10,
          'double.attribute': 637.704,
          'array.attribute': ['many', 'values'],
          'map.attribute': { 'some.map.key': 'some value' },
        },
      },
    },
    absent: ['attributes.body', 'attributes.traceId', 'attributes.spanId'],
  },
  {
    name: 'data-model example: Resource with service.name, string Body',
    line: '{"Timestamp":1586960586000,"Attributes":{"http.status_code":500,"http.url":"http://example.com","my.custom.application.tag":"hello"},"Resource":{"service.name":"donut_shop","service.version":"semver:2.0.0","k8s.pod.uid":"1138528c-c36e-11e9-a1a7-42010a800198"},"TraceId":"f4dbb3edd765f620","SpanId":"43222c2d51a7abe3","SeverityText":"INFO","SeverityNumber":9,"Body":"20200415T072306-0700 INFO I like donuts"}',
    source: DATA_MODEL,
    expect: {
      '@timestamp': '2020-04-15T14:23:06.000Z',
      message: '20200415T072306-0700 INFO I like donuts',
      log: { level: 'info', format: 'otel' },
      service: { name: 'donut_shop' },
      span: { id: '43222c2d51a7abe3' },
      attributes: {
        TraceId: 'f4dbb3edd765f620',
        Resource: { 'service.version': 'semver:2.0.0' },
        Attributes: { 'http.status_code': 500 },
      },
    },
    absent: ['trace'],
  },
  {
    name: 'data-model example: a map Body stays in attributes',
    line: '{"Timestamp":1586960586000,"Attributes":{"http.status_code":500,"http.url":"http://example.com","my.custom.application.tag":"hello"},"Resource":{"service.name":"donut_shop","service.version":"semver:2.0.0","k8s.pod.uid":"1138528c-c36e-11e9-a1a7-42010a800198"},"TraceId":"f4dbb3edd765f620","SpanId":"43222c2d51a7abe3","SeverityText":"INFO","SeverityNumber":9,"Body":{"i":"am","an":"event","of":{"some":"complexity"}}}',
    source: DATA_MODEL,
    expect: {
      message: '',
      log: { level: 'info', format: 'otel' },
      attributes: { Body: { i: 'am', an: 'event', of: { some: 'complexity' } } },
    },
  },
];
