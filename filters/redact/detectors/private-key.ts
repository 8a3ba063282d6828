import { pushTo } from '../../push.js';
import { defineDetector, type SpanFinder } from './detector.js';
import { F_DASH, F_K, F_P } from './features.js';

const PRIVATE_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;

const privateKeySpans: SpanFinder = (s) => {
  if (s.indexOf('PRIVATE KEY-----') < 0) return undefined;
  let out: ReturnType<SpanFinder>;
  PRIVATE_BEGIN.lastIndex = 0;
  for (let m = PRIVATE_BEGIN.exec(s); m !== null; m = PRIVATE_BEGIN.exec(s)) {
    const endMarker = s.indexOf('PRIVATE KEY-----', m.index + m[0].length);
    // No END line: fail closed and redact to the end of the text.
    const end = endMarker < 0 ? s.length : endMarker + 'PRIVATE KEY-----'.length;
    out = pushTo(out, m.index, end);
    PRIVATE_BEGIN.lastIndex = end;
  }
  return out;
};

export const privateKey = defineDetector({
  id: 'private_key',
  description:
    'PEM private key blocks (`-----BEGIN … PRIVATE KEY-----` to the END line, or to the end of the text)',
  find: privateKeySpans,
  minLength: 27, // -----BEGIN PRIVATE KEY----- (no END line: redacted to the end)
  needs: F_P | F_K | F_DASH, // `PRIVATE KEY-----`
  regexes: [PRIVATE_BEGIN],
  defaultPack: true,
  samples: {
    redacts: [
      ['k=-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY----- done', 'k=# done'],
      ['k=-----BEGIN PRIVATE KEY-----\nMIIB cut off', 'k=#'],
    ],
    ignores: [],
    smallest: '-----BEGIN PRIVATE KEY-----',
  },
});
