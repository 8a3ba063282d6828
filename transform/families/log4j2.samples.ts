import type { FamilySample, SampleSource } from './family.js';

const JIRA: SampleSource = {
  project:
    'Apache Log4j 2, LOG4J2-623 (the JsonLayout event shape, as posted by its maintainer to log4j-dev; abridged: one stack frame, no cause)',
  url: 'https://mail-archive.com/log4j-dev@logging.apache.org/msg21921.html',
  license: 'Apache-2.0',
};

/** log4j2 JsonLayout events. */
export const samples: readonly FamilySample[] = [
  {
    name: 'JsonLayout: timeMillis, loggerName, marker, thrown with frames',
    line: '{"timeMillis":1,"thread":"MyThreadName","level":"DEBUG","loggerName":"a.B","marker":{"name":"Marker1","parents":[{"name":"ParentMarker1"},{"name":"ParentMarker2"}]},"message":"Msg","thrown":{"name":"java.lang.NullPointerException","message":"testNPEx","localizedMessage":"testNPEx","extendedStackTrace":[{"class":"org.apache.logging.log4j.core.layout.JSONLayoutTest","method":"testAllFeatures","file":"JSONLayoutTest.java","line":122,"exact":false,"location":"test-classes/","version":"?"}]},"loggerFqcn":"f.q.c.n","endOfBatch":false}',
    source: JIRA,
    expect: {
      '@timestamp': '1970-01-01T00:00:00.001Z',
      message: 'Msg',
      log: { level: 'debug', format: 'log4j2', logger: 'a.B' },
      error: {
        type: 'java.lang.NullPointerException',
        message: 'testNPEx',
        stack_trace:
          'java.lang.NullPointerException: testNPEx\n\tat org.apache.logging.log4j.core.layout.JSONLayoutTest.testAllFeatures(JSONLayoutTest.java:122)',
      },
      attributes: { thread: 'MyThreadName', marker: { name: 'Marker1' }, loggerFqcn: 'f.q.c.n' },
    },
    absent: ['attributes.thrown', 'attributes.loggerName'],
  },
];
