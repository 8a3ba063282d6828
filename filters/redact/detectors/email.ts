import { pushTo } from '../../push.js';
import { defineDetector, type SpanFinder } from './detector.js';
import { F_AT, F_DOT } from './features.js';

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
  let out: ReturnType<SpanFinder>;
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

export const email = defineDetector({
  id: 'email',
  description: 'e-mail addresses (local@domain.tld)',
  find: emailSpans,
  minLength: 6, // a@b.co
  needs: F_AT | F_DOT,
  regexes: [],
  defaultPack: false,
  samples: {
    redacts: [['mail bob.smith+x@example.co.uk now', 'mail # now']],
    ignores: ['user@localhost and @mentions'],
    smallest: 'a@b.co',
  },
});
