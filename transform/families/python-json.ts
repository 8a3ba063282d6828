import type { JsonFamily } from './family.js';

/**
 * python-json-logger (`pythonjsonlogger`): the stdlib `LogRecord` attributes the format names —
 * `levelname`, `asctime` (a zone-less time is read as UTC), `created` (epoch seconds), `name` (the
 * logger), `message`, `exc_info` (the formatted traceback).
 */
export const pythonJson: JsonFamily = {
  title: 'python-json-logger',
  markers: ['levelname', 'asctime', 'exc_info'],
  match: (o) => typeof o['levelname'] === 'string' || (typeof o['asctime'] === 'string' && 'message' in o),
  recognisedBy: 'a string `levelname`, or `asctime` with `message`',
  mapping: {
    format: 'python_json',
    fields: [
      { role: 'time', path: 'timestamp' },
      { role: 'time', path: 'asctime' },
      { role: 'time', path: 'created', note: 'epoch s' },
      { role: 'level', path: 'levelname' },
      { role: 'level', path: 'level' },
      { role: 'message', path: 'message' },
      { role: 'logger', path: 'name' },
      { role: 'execution', path: 'aws_request_id' },
      { role: 'error', path: 'exc_info' },
    ],
  },
};
