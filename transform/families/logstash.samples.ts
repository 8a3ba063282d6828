import type { FamilySample, SampleSource } from './family.js';

const LOGSTASH_LAYOUT: SampleSource = {
  project: 'vy/log4j2-logstash-layout (README; the predecessor of log4j2 JsonTemplateLayout)',
  url: 'https://github.com/vy/log4j2-logstash-layout/blob/master/README.md',
  license: 'Apache-2.0',
};

/** Real Logstash-shaped JSON events. */
export const samples: readonly FamilySample[] = [
  {
    name: 'LogstashLayout with an exception object',
    line: '{"exception":{"exception_class":"java.lang.RuntimeException","exception_message":"test","stacktrace":"java.lang.RuntimeException: test\\n\\tat com.vlkan.log4j2.logstash.layout.demo.LogstashLayoutDemo.main(LogstashLayoutDemo.java:11)\\n"},"line_number":12,"class":"com.vlkan.log4j2.logstash.layout.demo.LogstashLayoutDemo","@version":1,"source_host":"varlik","message":"Hello, error!","thread_name":"main","@timestamp":"2017-05-25T19:56:23.370+02:00","level":"ERROR","file":"LogstashLayoutDemo.java","method":"main","logger_name":"com.vlkan.log4j2.logstash.layout.demo.LogstashLayoutDemo"}',
    source: LOGSTASH_LAYOUT,
    expect: {
      '@timestamp': '2017-05-25T17:56:23.370Z',
      message: 'Hello, error!',
      log: {
        level: 'error',
        format: 'logstash',
        logger: 'com.vlkan.log4j2.logstash.layout.demo.LogstashLayoutDemo',
      },
      error: {
        type: 'java.lang.RuntimeException',
        message: 'test',
        stack_trace:
          'java.lang.RuntimeException: test\n\tat com.vlkan.log4j2.logstash.layout.demo.LogstashLayoutDemo.main(LogstashLayoutDemo.java:11)\n',
      },
      attributes: { thread_name: 'main', '@version': 1, line_number: 12 },
    },
    absent: ['attributes.exception', 'attributes.logger_name'],
  },
];
