import type { FamilySample, SampleSource } from './family.js';

const NODE_README: SampleSource = {
  project: 'elastic/ecs-logging-nodejs (ecs-pino-format README)',
  url: 'https://github.com/elastic/ecs-logging-nodejs/blob/main/packages/ecs-pino-format/README.md',
  license: 'Apache-2.0',
};
const NODE_WINSTON: SampleSource = {
  project: 'elastic/ecs-logging-nodejs (ecs-winston-format docs)',
  url: 'https://github.com/elastic/ecs-logging-nodejs/blob/main/docs/reference/winston.md',
  license: 'Apache-2.0',
};
const NODE_PINO_DOCS: SampleSource = {
  project: 'elastic/ecs-logging-nodejs (ecs-pino-format docs, error logging)',
  url: 'https://github.com/elastic/ecs-logging-nodejs/blob/main/docs/reference/pino.md',
  license: 'Apache-2.0',
};
const PYTHON_DOCS: SampleSource = {
  project: 'elastic/ecs-logging-python (installation docs)',
  url: 'https://github.com/elastic/ecs-logging-python/blob/main/docs/reference/installation.md',
  license: 'Apache-2.0',
};
const LOG4J2_TEMPLATE: SampleSource = {
  project:
    'Apache Log4j 2, JSON Template Layout manual (the EcsLayout.json event template output; log4j2 EcsLayout writes the same keys)',
  url: 'https://github.com/apache/logging-log4j2/blob/aa1cefdff5b9778c95a382b807f3985946b769d2/src/site/asciidoc/manual/json-template-layout.adoc.vm',
  license: 'Apache-2.0',
};

/** Real ECS logger output (docs examples; pretty-printed ones put on one line). */
export const samples: readonly FamilySample[] = [
  {
    name: 'log4j2 JsonTemplateLayout EcsLayout.json: an error with type, message and stack trace',
    line: '{"@timestamp":"2017-05-25T19:56:23.370Z","ecs.version":"1.2.0","log.level":"ERROR","message":"Hello, error!","process.thread.name":"main","log.logger":"org.apache.logging.log4j.JsonTemplateLayoutDemo","error.type":"java.lang.RuntimeException","error.message":"test","error.stack_trace":"java.lang.RuntimeException: test\\n\\tat org.apache.logging.log4j.JsonTemplateLayoutDemo.main(JsonTemplateLayoutDemo.java:11)\\n"}',
    source: LOG4J2_TEMPLATE,
    expect: {
      '@timestamp': '2017-05-25T19:56:23.370Z',
      message: 'Hello, error!',
      log: { level: 'error', format: 'ecs', logger: 'org.apache.logging.log4j.JsonTemplateLayoutDemo' },
      error: {
        type: 'java.lang.RuntimeException',
        message: 'test',
        stack_trace:
          'java.lang.RuntimeException: test\n\tat org.apache.logging.log4j.JsonTemplateLayoutDemo.main(JsonTemplateLayoutDemo.java:11)\n',
      },
      attributes: { 'ecs.version': '1.2.0', 'process.thread.name': 'main' },
    },
  },
  {
    name: 'ecs-pino-format: dotted keys',
    line: '{"log.level":"info","@timestamp":"2023-10-14T02:07:47.901Z","process.pid":56645,"host.hostname":"pink.local","ecs.version":"8.10.0","message":"Hello world"}',
    source: NODE_README,
    expect: {
      '@timestamp': '2023-10-14T02:07:47.901Z',
      message: 'Hello world',
      log: { level: 'info', format: 'ecs' },
      attributes: { 'process.pid': 56645, 'host.hostname': 'pink.local', 'ecs.version': '8.10.0' },
    },
  },
  {
    name: 'ecs-pino-format: a child logger',
    line: '{"log.level":"warn","@timestamp":"2023-10-14T02:07:47.901Z","process.pid":56645,"host.hostname":"pink.local","ecs.version":"8.10.0","module":"foo","message":"From child"}',
    source: NODE_README,
    expect: { message: 'From child', log: { level: 'warn', format: 'ecs' }, attributes: { module: 'foo' } },
  },
  {
    name: 'ecs-winston-format: error level with an extra field',
    line: '{"@timestamp":"2023-10-14T02:14:17.304Z","log.level":"error","message":"oops there is a problem","ecs.version":"8.10.0","foo":"bar"}',
    source: NODE_WINSTON,
    expect: {
      message: 'oops there is a problem',
      log: { level: 'error', format: 'ecs' },
      attributes: { foo: 'bar' },
    },
  },
  {
    name: 'ecs-winston-format: nested ecs.version',
    line: '{"@timestamp":"2021-01-13T21:32:38.095Z","log.level":"info","message":"hi","ecs":{"version":"8.10.0"}}',
    source: NODE_WINSTON,
    expect: {
      message: 'hi',
      log: { level: 'info', format: 'ecs' },
      attributes: { ecs: { version: '8.10.0' } },
    },
  },
  {
    name: 'ecs-pino-format: info with an error object keeps level info',
    line: '{"log.level":"info","@timestamp":"2021-01-26T17:02:23.697Z","error":{"type":"Error","message":"boom","stack_trace":"Error: boom\\n    at Object.<anonymous> (..."},"message":"oops"}',
    source: NODE_PINO_DOCS,
    expect: {
      message: 'oops',
      log: { level: 'info', format: 'ecs' },
      error: { type: 'Error', message: 'boom', stack_trace: 'Error: boom\n    at Object.<anonymous> (...' },
    },
    absent: ['attributes.error'],
  },
  {
    name: 'ecs-logging-python: nested log.logger and origin',
    line: '{"@timestamp":"2020-03-20T18:11:37.895Z","log.level":"debug","message":"Example message!","ecs":{"version":"1.6.0"},"http":{"request":{"method":"get"}},"log":{"logger":"app","origin":{"file":{"line":14,"name":"test.py"},"function":"func"},"original":"Example message!"}}',
    source: PYTHON_DOCS,
    expect: {
      '@timestamp': '2020-03-20T18:11:37.895Z',
      message: 'Example message!',
      log: { level: 'debug', format: 'ecs', logger: 'app' },
      attributes: {
        http: { request: { method: 'get' } },
        log: {
          origin: { file: { line: 14, name: 'test.py' }, function: 'func' },
          original: 'Example message!',
        },
      },
    },
  },
];
