import type { FamilySample, SampleSource } from './family.js';

const README: SampleSource = {
  project: 'nhairs/python-json-logger (README)',
  url: 'https://github.com/nhairs/python-json-logger/blob/main/README.md',
  license: 'BSD-2-Clause',
};

/** python-json-logger output. */
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
];
