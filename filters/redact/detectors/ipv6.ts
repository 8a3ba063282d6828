import { isIPv6 } from 'node:net';
import { pushTo } from '../../push.js';
import { defineDetector, type SpanFinder } from './detector.js';
import { F_COLON } from './features.js';

const IPV6_RUN = /[0-9A-Fa-f:.]{2,}/g;

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

const ipv6Spans: SpanFinder = (s) => {
  const first = s.indexOf(':');
  if (first < 0 || s.indexOf(':', first + 1) < 0) return undefined;
  let out: ReturnType<SpanFinder>;
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

export const ipv6 = defineDetector({
  id: 'ipv6',
  description:
    'IPv6 addresses (validated with node:net; a bare `::`, the unspecified address, is not redacted)',
  find: ipv6Spans,
  minLength: 3, // ::1
  needs: F_COLON,
  regexes: [IPV6_RUN],
  defaultPack: false,
  samples: {
    redacts: [['from 2001:db8::1 via', 'from # via']],
    ignores: ['time 12:00:00.000', 'std::vector and Foo::bar', 'section :: title and (::)'],
    smallest: '::1',
  },
});
