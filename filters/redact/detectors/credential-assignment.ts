import { defineDetector, endsWithWord, regexSpans } from './detector.js';
import { F_CRED } from './features.js';

const CREDENTIAL =
  /\b(?:password|passwd|pwd|secret|client_?secret|api_?key|apikey|access_?token|refresh_?token|auth_?token|token)(?:["']?\s{0,5}[:=]\s{0,5}["']?)([^\s"'&,;]{1,512})/gi;
/**
 * What every match of {@link CREDENTIAL} contains: each name it accepts ends in `word`, `wd`,
 * `secret`, `key` or `token`, right before the separator. {@link credentialCandidate} tests the
 * same without a regex scan of the whole text.
 */
const CREDENTIAL_NECESSARY = /(?:word|wd|secret|key|token)["']?\s{0,5}[:=]/i;
const NAME_ENDINGS = ['word', 'wd', 'secret', 'key', 'token'] as const;

/**
 * Whether {@link CREDENTIAL_NECESSARY} can match with its separator at `p`: at most 5 whitespace
 * characters, an optional quote and a name ending before it. Non-ASCII text in the whitespace
 * stretch counts as a candidate (Unicode whitespace is not classified here: fail closed). The
 * pre-scan's `F_CRED` is this test at every `:` and `=`.
 */
export function nameEndsBefore(s: string, p: number): boolean {
  let q = p - 1;
  let spaces = 0;
  for (; q >= 0; q--) {
    const c = s.charCodeAt(q);
    if (c >= 128) return true;
    if (c !== 32 && (c < 9 || c > 13)) break;
    if (++spaces > 5) return false;
  }
  const quote = q >= 0 ? s.charCodeAt(q) : 0;
  const end = quote === 34 || quote === 39 ? q : q + 1;
  for (const w of NAME_ENDINGS) if (endsWithWord(s, end, w)) return true;
  return false;
}

/** Pre-check of {@link CREDENTIAL}: visits each `:` and `=` (native search) and looks just before it. */
function credentialCandidate(s: string): boolean {
  for (let p = s.indexOf(':'); p >= 0; p = s.indexOf(':', p + 1)) if (nameEndsBefore(s, p)) return true;
  for (let p = s.indexOf('='); p >= 0; p = s.indexOf('=', p + 1)) if (nameEndsBefore(s, p)) return true;
  return false;
}

export const credentialAssignment = defineDetector({
  id: 'credential_assignment',
  description:
    'the value in `password=…`, `secret: …`, `api_key=…`, `token=…` (and similar) assignments inside text',
  find: (s) => (credentialCandidate(s) ? regexSpans(CREDENTIAL, s, 1) : undefined),
  minLength: 5, // pwd=x
  needs: F_CRED,
  regexes: [CREDENTIAL, CREDENTIAL_NECESSARY],
  prechecked: [
    { precheck: credentialCandidate, regex: CREDENTIAL },
    { precheck: (s) => CREDENTIAL_NECESSARY.test(s), regex: CREDENTIAL },
  ],
  defaultPack: true,
  samples: {
    redacts: [
      ['login password=hunter2&user=bob', 'login password=#&user=bob'],
      ['{"api_key": "abc123"}', '{"api_key": "#"}'],
    ],
    ignores: [],
    smallest: 'pwd=x',
  },
});
