import type { FamilySample, SampleSource } from './family.js';

const LOGSTASH_LAYOUT: SampleSource = {
  project: 'vy/log4j2-logstash-layout (README; the predecessor of log4j2 JsonTemplateLayout)',
  url: 'https://github.com/vy/log4j2-logstash-layout/blob/master/README.md',
  license: 'Apache-2.0',
};
const ENCODER_SPIKE: SampleSource = {
  project:
    'damianryan/logstash-logback-encoder-spike (README: LogstashEncoder output of a Spring Boot app; one stack trace of the two quoted)',
  url: 'https://github.com/damianryan/logstash-logback-encoder-spike/blob/164062ab0259b96da2a525ed44c730241e65acb3/README.md',
  license: 'none stated (a short log line quoted as test data)',
};
const TERSE_SHOWCASE: SampleSource = {
  project:
    'tersesystems/terse-logback-showcase (README: LogstashEncoder output with terse-logback id and relative_ns fields)',
  url: 'https://github.com/tersesystems/terse-logback-showcase/blob/master/README.md',
  license: 'none stated in the README (a short log line quoted as test data)',
};
const LOGFORM: SampleSource = {
  project: "winstonjs/logform (README, the logstash format used by winston's format.logstash())",
  url: 'https://github.com/winstonjs/logform/blob/master/README.md#logstash',
  license: 'MIT',
};

/** Real Logstash-shaped JSON events. */
export const samples: readonly FamilySample[] = [
  {
    name: 'logstash-logback-encoder LogstashEncoder: ERROR with stack_trace, level_value, @version, custom fields',
    line: '{"@timestamp":"2020-02-20T11:07:35.778Z","@version":"1","message":"something really bad happened","logger_name":"com.damianryan.spikes.logging.Main","thread_name":"main","level":"ERROR","level_value":40000,"stack_trace":"java.lang.RuntimeException: Boom!\\n\\tat com.damianryan.spikes.logging.Main.run(Main.java:21)\\n\\tat org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:784)\\n\\tat org.springframework.boot.SpringApplication.callRunners(SpringApplication.java:768)\\n\\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:322)\\n\\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:1226)\\n\\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:1215)\\n\\tat com.damianryan.spikes.logging.Main.main(Main.java:14)\\n","service_name":"logstash-logback-encoder-spike","service_version":"1.0-SNAPSHOT"}',
    source: ENCODER_SPIKE,
    expect: {
      '@timestamp': '2020-02-20T11:07:35.778Z',
      message: 'something really bad happened',
      log: { level: 'error', format: 'logstash', logger: 'com.damianryan.spikes.logging.Main' },
      error: {
        type: 'java.lang.RuntimeException',
        message: 'Boom!',
        stack_trace:
          'java.lang.RuntimeException: Boom!\n\tat com.damianryan.spikes.logging.Main.run(Main.java:21)\n\tat org.springframework.boot.SpringApplication.callRunner(SpringApplication.java:784)\n\tat org.springframework.boot.SpringApplication.callRunners(SpringApplication.java:768)\n\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:322)\n\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:1226)\n\tat org.springframework.boot.SpringApplication.run(SpringApplication.java:1215)\n\tat com.damianryan.spikes.logging.Main.main(Main.java:14)\n',
      },
      attributes: {
        '@version': '1',
        thread_name: 'main',
        level_value: 40000,
        service_name: 'logstash-logback-encoder-spike',
        service_version: '1.0-SNAPSHOT',
      },
    },
    absent: ['attributes.stack_trace', 'attributes.logger_name', 'attributes.level', 'attributes.message'],
  },
  {
    name: 'logstash-logback-encoder LogstashEncoder: INFO with extra provider fields',
    line: '{"id":"FfwJtsNHYSw6O0Qbm7EAAA","relative_ns":20921024,"tse_ms":1584163814965,"start_ms":null,"@timestamp":"2020-03-14T05:30:14.965Z","@version":"1","message":"Creating Pool for datasource \'logging\'","logger_name":"play.api.db.HikariCPConnectionPool","thread_name":"play-dev-mode-akka.actor.default-dispatcher-7","level":"INFO","level_value":20000}',
    source: TERSE_SHOWCASE,
    expect: {
      '@timestamp': '2020-03-14T05:30:14.965Z',
      message: "Creating Pool for datasource 'logging'",
      log: { level: 'info', format: 'logstash', logger: 'play.api.db.HikariCPConnectionPool' },
      attributes: {
        id: 'FfwJtsNHYSw6O0Qbm7EAAA',
        relative_ns: 20921024,
        tse_ms: 1584163814965,
        start_ms: null,
        thread_name: 'play-dev-mode-akka.actor.default-dispatcher-7',
        level_value: 20000,
      },
    },
    absent: ['error', 'attributes.logger_name', 'attributes.@timestamp'],
  },
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
  {
    name: 'winston format.logstash (logform): @message, @timestamp, the level under @fields',
    line: '{"@message":"my message","@timestamp":"2018-10-02T11:04:52.915Z","@fields":{"level":"info"}}',
    source: LOGFORM,
    expect: {
      '@timestamp': '2018-10-02T11:04:52.915Z',
      message: 'my message',
      log: { level: 'info', format: 'logstash' },
    },
    absent: ['attributes.@fields', 'attributes.@message', 'attributes.@timestamp', 'error'],
  },
];
