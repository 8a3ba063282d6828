import { pushTo } from '../../push.js';
import { defineDetector, type SpanFinder } from './detector.js';
import { F_AUTH } from './features.js';

const AUTH_SCHEME = /\b(?:bearer|basic|token|digest)\s{1,5}/gi;
const AUTH_CREDENTIAL = /[A-Za-z0-9\-._~+/]+=*/y;

/** `Bearer x`: the scheme by regex, then the credential by a sticky scan past which the search resumes. */
const authSpans: SpanFinder = (s) => {
  // The scheme needs whitespace after it: a space (found by a native search), or other `\s`.
  if (s.indexOf(' ') < 0 && !/\s/.test(s)) return undefined;
  let out: ReturnType<SpanFinder>;
  AUTH_SCHEME.lastIndex = 0;
  for (let m = AUTH_SCHEME.exec(s); m !== null; m = AUTH_SCHEME.exec(s)) {
    const from = m.index + m[0].length;
    AUTH_CREDENTIAL.lastIndex = from;
    const c = AUTH_CREDENTIAL.exec(s);
    // A credential, not prose ("Basic authentication"): 8+ characters with a digit or symbol.
    if (c && c[0].length >= 8 && /[0-9+/=._~-]/.test(c[0])) {
      out = pushTo(out, from, from + c[0].length);
      AUTH_SCHEME.lastIndex = from + c[0].length;
    }
  }
  return out;
};

export const authHeader = defineDetector({
  id: 'auth_header',
  description: 'the credential of `Bearer …`, `Basic …`, `Token …` and `Digest …` authorization values',
  find: authSpans,
  minLength: 13, // Token + space + 8 characters
  needs: F_AUTH,
  regexes: [AUTH_SCHEME, AUTH_CREDENTIAL],
  defaultPack: true,
  samples: {
    redacts: [
      ['Authorization: Bearer abc.DEF-123_456', 'Authorization: Bearer #'],
      ['basic dXNlcjpwYXNzd29yZA==', 'basic #'],
    ],
    ignores: ['Basic authentication is described here'],
    smallest: 'Token 1bcdefgh',
  },
});
