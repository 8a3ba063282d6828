import { seededRandom as rng } from '../core/random.js';

/**
 * Data of the filters benchmark. The realistic set comes from the shared generator
 * (`test/factories` `generateKinesisPayloads`); this module adds an adversarial set (long strings
 * with no match, near-miss card numbers, lone `@`, `eyJ` and `:` fragments) that exercises the
 * detectors' worst paths, and the ten representative author rules.
 */

/** Adversarial lines: long, match-free text designed to defeat pre-checks and backtracking. */
export function adversarialLines(count: number, seed: number): string[] {
  const r = rng(seed);
  const letters = (n: number) =>
    Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(r() * 26))).join('');
  const nearMissCard = () => {
    // 16 digits starting with 4 that fail Luhn, written with spaces: passes the pre-check, fails the check.
    for (;;) {
      const d = `4${Array.from({ length: 15 }, () => Math.floor(r() * 10)).join('')}`;
      let sum = 0;
      for (let i = 0; i < 16; i++) {
        let x = d.charCodeAt(15 - i) - 48;
        if (i % 2 === 1) x = x * 2 > 9 ? x * 2 - 9 : x * 2;
        sum += x;
      }
      if (sum % 10 !== 0) return d.match(/.{4}/g)?.join(' ') ?? d;
    }
  };
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const parts = [
      letters(2000),
      Array.from({ length: 20 }, nearMissCard).join(' x '),
      `${letters(300)}@${letters(300)}`,
      Array.from({ length: 50 }, () => `eyJ${letters(20)}`).join(' '),
      Array.from({ length: 100 }, () => 'a1:').join(''),
      '1.'.repeat(300),
      `${'password'.repeat(20)} ${'-----BEGIN'.repeat(20)}`,
    ];
    out.push(
      JSON.stringify({
        level: 30,
        time: 1714564800000 + i,
        msg: parts.join(' '),
        blob: { text: letters(3000), digits: '9'.repeat(500) },
      }),
    );
  }
  return out;
}

/** Ten representative author rules (beside the default pack), written for the generator's fields. */
export const BENCH_RULES = `
rules:
  - name: drop-health-checks
    kind: drop
    drop_when: { field: attributes.http.route, matches: "^/(health|ready)$" }
  - name: drop-debug-of-search
    kind: drop
    drop_when:
      and:
        - { field: log.level, in: [trace, debug] }
        - { field: service.name, equals: search }
  - name: sample-notifications
    kind: sample
    keep_ratio: 0.5
    when: { field: service.name, equals: notifications }
  - name: app-from-log-group
    kind: enrich
    from_log_group:
      pattern: "^/aws/lambda/(?P<app>[a-z]+)$"
      set: { attributes.deploy.app: "{app}" }
  - name: team
    kind: enrich
    set: { attributes.team: commerce, attributes.deploy.stage: prod }
    rename: { attributes.user.tenant: attributes.tenant }
  - name: route-errors
    kind: route
    when: { field: log.level, in: [error, fatal] }
    route: errors
  - name: user-ids
    kind: redact
    fields: [attributes.user.id]
    action: partial
    keep_last: 2
  - name: tenants
    kind: redact
    fields: [attributes.tenant]
    action: hash
    hash_key: BENCH_KEY
  - name: contact-details
    kind: redact
    detectors: [email, phone]
    action: mask
  - name: skus
    kind: redact
    patterns: ["SKU-[0-9a-f]{6}"]
    action: mask
`;
