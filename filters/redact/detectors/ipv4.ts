import { defineDetector, regexSpans } from './detector.js';
import { F_DIGITS4, F_DOT } from './features.js';

const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)/g;

export const ipv4 = defineDetector({
  id: 'ipv4',
  description: 'IPv4 addresses',
  find: (s) => (s.indexOf('.') < 0 ? undefined : regexSpans(IPV4, s)),
  minLength: 7,
  needs: F_DOT | F_DIGITS4,
  regexes: [IPV4],
  defaultPack: false,
  samples: {
    redacts: [['from 10.0.12.255 via', 'from # via']],
    ignores: ['version 1.2.3.4.5 and 999.1.1.1'],
    smallest: '1.1.1.1',
  },
});
