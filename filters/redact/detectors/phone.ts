import { defineDetector, regexSpans } from './detector.js';
import { F_DIGITS8 } from './features.js';

const PHONE =
  /\+\d{8,15}(?!\d)|(?<![\w.+-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}[ .-]\d{3,4}[ .-]\d{3,4}(?![\w.-])/g;
/** Pre-check of {@link PHONE}: `+` and 8 digits, or the end of the first group and the second. */
const PHONE_PRECHECK = /\+\d{8}|\d[ .-]\d{3}/;

export const phone = defineDetector({
  id: 'phone',
  description: 'phone numbers: `+` and 8–15 digits, or 3 groups of digits separated by space, dot or dash',
  find: (s) => (PHONE_PRECHECK.test(s) ? regexSpans(PHONE, s) : undefined),
  minLength: 9, // +12345678
  needs: F_DIGITS8,
  regexes: [PHONE, PHONE_PRECHECK],
  prechecked: [{ precheck: (s) => PHONE_PRECHECK.test(s), regex: PHONE }],
  defaultPack: false,
  samples: {
    redacts: [['call +4915112345678 or 555-123-4567', 'call # or #']],
    ignores: ['date 2024-05-01 and 10.0.0.1'],
    smallest: '+12345678',
  },
});
