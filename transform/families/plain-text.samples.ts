import type { FamilySample, SampleSource } from './family.js';

const RFC5424: SampleSource = {
  project: 'RFC 5424, The Syslog Protocol, section 6.5 (Examples)',
  url: 'https://www.rfc-editor.org/rfc/rfc5424#section-6.5',
  license: 'IETF Trust Legal Provisions (RFC text)',
};
const RFC3164: SampleSource = {
  project: 'RFC 3164, The BSD syslog Protocol, section 5.4 (Examples)',
  url: 'https://www.rfc-editor.org/rfc/rfc3164#section-5.4',
  license: 'IETF Trust Legal Provisions (RFC text)',
};
const SPRING_BOOT: SampleSource = {
  project:
    'Spring Boot reference documentation, Logging > Log Format (the default Logback console pattern; the docs regenerate the times and pid on each build: this one as they read in February 2025)',
  url: 'https://docs.spring.io/spring-boot/reference/features/logging.html#features.logging.log-format',
  license: 'Apache-2.0',
};

const PY_COOKBOOK: SampleSource = {
  project: 'Python documentation, Logging Cookbook > Using logging in multiple modules (the output it shows)',
  url: 'https://docs.python.org/3/howto/logging-cookbook.html#using-logging-in-multiple-modules',
  license: 'PSF-2.0 (documentation text)',
};

/** Plain text lines with a leading time and level, and syslog. */
export const samples: readonly FamilySample[] = [
  {
    name: 'RFC 5424: PRI 34 (auth, crit), time, host, app, msgid',
    line: "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - BOM'su root' failed for lonvick on /dev/pts/8",
    source: RFC5424,
    expect: {
      '@timestamp': '2003-10-11T22:14:15.003Z',
      message: "- BOM'su root' failed for lonvick on /dev/pts/8",
      log: { level: 'fatal', format: 'text' },
      attributes: {
        host: 'mymachine.example.com',
        app_name: 'su',
        msgid: 'ID47',
        syslog: { facility: 4, severity: 2 },
      },
    },
  },
  {
    name: 'RFC 5424: a numeric offset time',
    line: "<165>1 2003-08-24T05:14:15.000003-07:00 192.0.2.1 myproc 8710 - - %% It's time to make the do-nuts.",
    source: RFC5424,
    expect: {
      '@timestamp': '2003-08-24T12:14:15.000Z',
      log: { level: 'info', format: 'text' },
      attributes: { host: '192.0.2.1', app_name: 'myproc', procid: '8710' },
    },
  },
  {
    name: 'RFC 3164: no year (completed from the CloudWatch timestamp, so it differs by mode: checked in normalize.test.ts); the text kept',
    line: "<34>Oct 11 22:14:15 mymachine su: 'su root' failed for lonvick on /dev/pts/8",
    source: RFC3164,
    expect: {
      message: "su: 'su root' failed for lonvick on /dev/pts/8",
      log: { level: 'fatal', format: 'text' },
      attributes: { host: 'mymachine', syslog: { timestamp: 'Oct 11 22:14:15' } },
    },
  },
  {
    name: 'Spring Boot default console line: ISO time, two spaces, level; the rest (pid, thread, logger, text) is the message',
    line: '2025-02-20T14:15:52.373Z  INFO 125657 --- [myapp] [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.14 with PID 125657 (/opt/apps/myapp.jar started by myuser in /opt/apps/)',
    source: SPRING_BOOT,
    expect: {
      '@timestamp': '2025-02-20T14:15:52.373Z',
      message:
        '125657 --- [myapp] [           main] o.s.b.d.f.logexample.MyApplication       : Starting MyApplication using Java 17.0.14 with PID 125657 (/opt/apps/myapp.jar started by myuser in /opt/apps/)',
      log: { level: 'info', format: 'text' },
    },
  },
  {
    name: "Python logging's documented format: asctime, logger name, level, message, joined by ' - '",
    line: '2005-03-23 23:47:11,663 - spam_application - INFO - creating an instance of auxiliary_module.Auxiliary',
    source: PY_COOKBOOK,
    expect: {
      '@timestamp': '2005-03-23T23:47:11.663Z',
      message: 'creating an instance of auxiliary_module.Auxiliary',
      log: { level: 'info', format: 'text', logger: 'spam_application' },
    },
  },
  {
    name: 'the same format with a dotted logger name',
    line: '2005-03-23 23:47:11,670 - spam_application.auxiliary.Auxiliary - INFO - doing something',
    source: PY_COOKBOOK,
    expect: {
      '@timestamp': '2005-03-23T23:47:11.670Z',
      message: 'doing something',
      log: { level: 'info', format: 'text', logger: 'spam_application.auxiliary.Auxiliary' },
    },
  },
];
