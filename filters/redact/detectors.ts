import { isIPv6 } from 'node:net';
import { pushTo } from '../push.js';
import { CARD_RUN, cardSpans } from './cards.js';

/**
 * Built-in value detectors. Each finds the spans of secrets in a string. They are fast-pathed:
 * a cheap pre-check (`indexOf` of a fixed substring, or one linear scan) runs first, and only
 * strings that pass it see a regex. Every regex here is linear (bounded or unambiguous
 * quantifiers; `detectors.test.ts` proves it with `recheck`), and the scanners step past what
 * they have read, so a long string without matches costs one pass.
 */
export const DETECTOR_IDS = [
  'email',
  'payment_card',
  'jwt',
  'aws_access_key_id',
  'aws_secret_access_key',
  'auth_header',
  'private_key',
  'credential_assignment',
  'ipv4',
  'ipv6',
  'phone',
] as const;
/** One of {@link DETECTOR_IDS}. */
export type DetectorId = (typeof DETECTOR_IDS)[number];

/** What each detector finds (used in the generated reference). */
export const DETECTOR_DESCRIPTIONS: Readonly<Record<DetectorId, string>> = {
  email: 'e-mail addresses (local@domain.tld)',
  payment_card:
    'payment card numbers: 13–19 digits (spaces or dashes between groups allowed), first digit 2–6, passing the Luhn check; also integer JSON numbers of that shape',
  jwt: 'JSON Web Tokens (`eyJ….eyJ….…`)',
  aws_access_key_id: 'AWS access key ids (`AKIA…`, `ASIA…` and the other 4-letter prefixes, 20 characters)',
  aws_secret_access_key:
    'AWS secret access keys (40 characters) written after a name such as `aws_secret_access_key=` or `SecretAccessKey:`',
  auth_header: 'the credential of `Bearer …`, `Basic …`, `Token …` and `Digest …` authorization values',
  private_key:
    'PEM private key blocks (`-----BEGIN … PRIVATE KEY-----` to the END line, or to the end of the text)',
  credential_assignment:
    'the value in `password=…`, `secret: …`, `api_key=…`, `token=…` (and similar) assignments inside text',
  ipv4: 'IPv4 addresses',
  ipv6: 'IPv6 addresses (validated with node:net; a bare `::`, the unspecified address, is not redacted)',
  phone: 'phone numbers: `+` and 8–15 digits, or 3 groups of digits separated by space, dot or dash',
};

export { isCardNumber, luhn } from './cards.js';

/** Spans as a flat list `[start0, end0, start1, end1, …]`, ascending, non-overlapping. */
export type Spans = number[];

/** Finds the spans one detector matches in `s`; undefined when there are none. */
export type SpanFinder = (s: string) => Spans | undefined;

function regexSpans(re: RegExp, s: string, suffixGroup?: number): Spans | undefined {
  re.lastIndex = 0;
  let out: Spans | undefined;
  for (let m = re.exec(s); m !== null; m = re.exec(s)) {
    const end = m.index + m[0].length;
    const part = suffixGroup === undefined ? m[0] : (m[suffixGroup] ?? '');
    if (part.length > 0) out = pushTo(out, end - part.length, end);
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

// --- tokens ---------------------------------------------------------------------------------

const JWT = /eyJ[A-Za-z0-9_-]+\.eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/y;
const B64URL_RUN = /[A-Za-z0-9_.-]*/y;

const jwtSpans: SpanFinder = (s) => {
  // `J` is rare in logs and a one-character search is native-fast; `eyJ` is found by scanning
  // every `e`, of which prose has many.
  if (s.indexOf('J') < 0) return undefined;
  let from = s.indexOf('eyJ');
  let out: Spans | undefined;
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

const AWS_KEY_ID = /\b(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}\b/g;
const AWS_SECRET =
  /(?:aws_?secret_?(?:access_?)?key|secret_?access_?key)(?:["']?\s{0,5}[:=]\s{0,5}["']?)([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;
const AUTH_SCHEME = /\b(?:bearer|basic|token|digest)\s{1,5}/gi;
const AUTH_CREDENTIAL = /[A-Za-z0-9\-._~+/]+=*/y;

/** Cheap pre-check of the assignment detectors: they need a `=` or a `:`. */
function hasAssignment(s: string): boolean {
  return s.indexOf('=') >= 0 || s.indexOf(':') >= 0;
}

/** `Bearer x`: the scheme by regex, then the credential by a sticky scan past which the search resumes. */
const authSpans: SpanFinder = (s) => {
  // The scheme needs whitespace after it: a space (found by a native search), or other `\s`.
  if (s.indexOf(' ') < 0 && !/\s/.test(s)) return undefined;
  let out: Spans | undefined;
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
const CREDENTIAL =
  /\b(?:password|passwd|pwd|secret|client_?secret|api_?key|apikey|access_?token|refresh_?token|auth_?token|token)(?:["']?\s{0,5}[:=]\s{0,5}["']?)([^\s"'&,;]{1,512})/gi;
/**
 * What every match of {@link CREDENTIAL} contains: each name it accepts ends in `word`, `wd`,
 * `secret`, `key` or `token`, right before the separator. {@link credentialCandidate} tests the
 * same without a regex scan of the whole text.
 */
const CREDENTIAL_NECESSARY = /(?:word|wd|secret|key|token)["']?\s{0,5}[:=]/i;
const NAME_ENDINGS = ['word', 'wd', 'secret', 'key', 'token'] as const;

/** True when `s` has `word` (lowercase ASCII) ending right before `end`, compared case-insensitively. */
export function endsWithWord(s: string, end: number, word: string): boolean {
  const start = end - word.length;
  if (start < 0) return false;
  for (let i = 0; i < word.length; i++)
    if ((s.charCodeAt(start + i) | 32) !== word.charCodeAt(i)) return false;
  return true;
}

/**
 * Whether {@link CREDENTIAL_NECESSARY} can match with its separator at `p`: at most 5 whitespace
 * characters, an optional quote and a name ending before it. Non-ASCII text in the whitespace
 * stretch counts as a candidate (Unicode whitespace is not classified here: fail closed).
 */
function nameEndsBefore(s: string, p: number): boolean {
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

const PRIVATE_BEGIN = /-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY-----/g;

const privateKeySpans: SpanFinder = (s) => {
  if (s.indexOf('PRIVATE KEY-----') < 0) return undefined;
  let out: Spans | undefined;
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

// --- email ----------------------------------------------------------------------------------

function isLocalChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) ||
    (c >= 65 && c <= 90) ||
    (c >= 48 && c <= 57) ||
    c === 46 ||
    c === 95 ||
    c === 37 ||
    c === 43 ||
    c === 45
  );
}
function isDomainChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45;
}

const emailSpans: SpanFinder = (s) => {
  let at = s.indexOf('@');
  let out: Spans | undefined;
  let floor = 0;
  while (at >= 0) {
    let start = at;
    while (start > floor && at - start < 64 && isLocalChar(s.charCodeAt(start - 1))) start--;
    let end = at + 1;
    while (end < s.length && end - at < 256 && isDomainChar(s.charCodeAt(end))) end++;
    // Trim trailing dots/dashes, then require a dot and a TLD of 2+ letters.
    while (end > at + 1 && (s.charCodeAt(end - 1) === 46 || s.charCodeAt(end - 1) === 45)) end--;
    const domain = s.slice(at + 1, end);
    const dot = domain.lastIndexOf('.');
    if (start < at && dot > 0 && /^[A-Za-z]{2,}$/.test(domain.slice(dot + 1))) {
      out = pushTo(out, start, end);
      floor = end;
    }
    at = s.indexOf('@', Math.max(at + 1, floor));
  }
  return out;
};

// --- network --------------------------------------------------------------------------------

const IPV4 =
  /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?!\.?\d)/g;
const IPV6_RUN = /[0-9A-Fa-f:.]{2,}/g;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

const ipv6Spans: SpanFinder = (s) => {
  const first = s.indexOf(':');
  if (first < 0 || s.indexOf(':', first + 1) < 0) return undefined;
  let out: Spans | undefined;
  IPV6_RUN.lastIndex = 0;
  for (let m = IPV6_RUN.exec(s); m !== null; m = IPV6_RUN.exec(s)) {
    const end = m.index + m[0].length;
    // Bounded by non-word characters: `std::vector` is not an address. The unspecified address `::`
    // alone (`a :: b` in prose) is not personal data and is left alone.
    if (
      end - m.index > 2 &&
      !isWordChar(s.charCodeAt(m.index - 1)) &&
      !isWordChar(s.charCodeAt(end)) &&
      isIPv6(m[0])
    )
      out = pushTo(out, m.index, end);
  }
  return out;
};

const PHONE =
  /\+\d{8,15}(?!\d)|(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}[ .-]\d{3,4}[ .-]\d{3,4}(?![\w.-])/g;
/** Pre-check of {@link PHONE}: `+` and 8 digits, or the end of the first group and the second. */
const PHONE_PRECHECK = /\+\d{8}|\d[ .-]\d{3}/;

/** The span finder of each built-in detector. */
export const DETECTORS: Readonly<Record<DetectorId, SpanFinder>> = {
  email: emailSpans,
  payment_card: cardSpans,
  jwt: jwtSpans,
  aws_access_key_id: (s) => (s.indexOf('A') < 0 ? undefined : regexSpans(AWS_KEY_ID, s)),
  aws_secret_access_key: (s) =>
    hasAssignment(s) && /ecret/i.test(s) ? regexSpans(AWS_SECRET, s, 1) : undefined,
  auth_header: authSpans,
  private_key: privateKeySpans,
  credential_assignment: (s) => (credentialCandidate(s) ? regexSpans(CREDENTIAL, s, 1) : undefined),
  ipv4: (s) => (s.indexOf('.') < 0 ? undefined : regexSpans(IPV4, s)),
  ipv6: ipv6Spans,
  phone: (s) => (PHONE_PRECHECK.test(s) ? regexSpans(PHONE, s) : undefined),
};

/**
 * The shortest text each detector can match: shorter strings (most attribute values) skip it
 * without a call. A test checks each bound against the detector's smallest match.
 */
export const DETECTOR_MIN_LENGTH: Readonly<Record<DetectorId, number>> = {
  email: 6, // a@b.co
  payment_card: 13,
  jwt: 10, // eyJa.eyJb.
  aws_access_key_id: 20,
  aws_secret_access_key: 53, // awssecretkey= + 40
  auth_header: 13, // Token + space + 8 characters
  private_key: 27, // -----BEGIN PRIVATE KEY----- (no END line: redacted to the end)
  credential_assignment: 5, // pwd=x
  ipv4: 7,
  ipv6: 3, // ::1
  phone: 9, // +12345678
};

/**
 * Each pre-check with the regex it guards (for the property test that a pre-check never rejects
 * text its regex matches).
 */
export const PRECHECKED: readonly { readonly precheck: (s: string) => boolean; readonly regex: RegExp }[] = [
  { precheck: credentialCandidate, regex: CREDENTIAL },
  { precheck: (s) => CREDENTIAL_NECESSARY.test(s), regex: CREDENTIAL },
  { precheck: (s) => PHONE_PRECHECK.test(s), regex: PHONE },
];

/** The built-in regexes, for the ReDoS test. */
export const BUILT_IN_REGEXES: readonly RegExp[] = [
  CARD_RUN,
  JWT,
  B64URL_RUN,
  AWS_KEY_ID,
  AWS_SECRET,
  AUTH_SCHEME,
  AUTH_CREDENTIAL,
  CREDENTIAL,
  CREDENTIAL_NECESSARY,
  PRIVATE_BEGIN,
  IPV4,
  IPV6_RUN,
  PHONE,
  PHONE_PRECHECK,
];
