import type { FamilySample, SampleSource } from './family.js';

const README: SampleSource = {
  project: 'nhairs/python-json-logger (README)',
  url: 'https://github.com/nhairs/python-json-logger/blob/main/README.md',
  license: 'BSD-2-Clause',
};

/** python-json-logger output (the README's "Example Output" is pretty-printed: put on one line). */
export const samples: readonly FamilySample[] = [
  {
    name: 'the default format: message and extra only (no levelname: read as generic JSON)',
    line: '{"message": "Logging using python-json-logger!", "more_data": true}',
    source: README,
    expect: {
      message: 'Logging using python-json-logger!',
      log: { format: 'json' },
      attributes: { more_data: true },
    },
  },
  {
    name: 'a full formatter (every LogRecord attribute): levelname, name, created; asctime with a two-digit year is not a time, so created gives it and asctime is kept',
    line: '{"threadName": "MainThread", "name": "root", "thread": 140735202359648, "created": 1336281068.506248, "process": 41937, "processName": "MainProcess", "relativeCreated": 9.100914001464844, "module": "tests", "funcName": "testFormatKeys", "levelno": 20, "msecs": 506.24799728393555, "pathname": "tests/tests.py", "lineno": 60, "asctime": "12-05-05 22:11:08,506248", "message": "testing logging format", "filename": "tests.py", "levelname": "INFO", "special": "value", "run": 12}',
    source: README,
    expect: {
      '@timestamp': '2012-05-06T05:11:08.506Z',
      message: 'testing logging format',
      log: { level: 'info', format: 'python_json', logger: 'root' },
      attributes: {
        threadName: 'MainThread',
        funcName: 'testFormatKeys',
        levelno: 20,
        lineno: 60,
        asctime: '12-05-05 22:11:08,506248',
        special: 'value',
        run: 12,
      },
    },
    absent: ['attributes.levelname', 'attributes.created', 'attributes.name', 'attributes.message'],
  },
];
