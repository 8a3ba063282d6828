import { pushTo } from '../../push.js';
import { defineDetector, type SpanFinder } from './detector.js';
import { F_DOT, F_EYJ } from './features.js';

const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/y;
const B64URL_RUN = /[A-Za-z0-9_.-]*/y;

const jwtSpans: SpanFinder = (s) => {
  // `J` is rare in logs and a one-character search is native-fast; `eyJ` is found by scanning
  // every `e`, of which prose has many.
  if (s.indexOf('J') < 0) return undefined;
  let from = s.indexOf('eyJ');
  let out: ReturnType<SpanFinder>;
  while (from >= 0) {
    JWT.lastIndex = from;
    const m = JWT.exec(s);
    if (m) {
      out = pushTo(out, from, from + m[0].length);
      from = s.indexOf('eyJ', from + m[0].length);
    } else {
      // Skip the whole token-character run: a later start inside it cannot succeed either way
      // without revisiting the same characters.
      B64URL_RUN.lastIndex = from + 3;
      B64URL_RUN.exec(s);
      from = s.indexOf('eyJ', Math.max(B64URL_RUN.lastIndex, from + 3));
    }
  }
  return out;
};

export const jwt = defineDetector({
  id: 'jwt',
  description: 'JSON Web Tokens (`eyJ….eyJ….…`)',
  find: jwtSpans,
  minLength: 10, // eyJa.eyJb.
  needs: F_EYJ | F_DOT,
  regexes: [JWT, B64URL_RUN],
  defaultPack: true,
  samples: {
    redacts: [['auth eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl end', 'auth # end']],
    ignores: ['eyJ alone and eyJabc.notjwt'],
    smallest: 'eyJa.eyJb.',
  },
});
