import { rng } from '../bench/harness.js';

/**
 * Log lines for the filters benchmark: what serverless components really print (pino and
 * Powertools JSON, Lambda text and platform lines), about one in ten carrying something the
 * rules must redact; and an adversarial set (long strings with no match, near-miss card numbers,
 * lone `@`, `eyJ` and `:` fragments) that exercises the detectors' worst paths.
 */
export function realisticLines(count: number, seed: number): string[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(r() * 16).toString(16)).join('');
  const services = ['orders', 'payments', 'checkout', 'inventory', 'chatty'];
  const paths = ['/api/orders', '/api/pay', '/health', '/api/cart', '/api/items/42'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const tx = `tx-${Math.floor(i / 5)}`;
    const t = 1714564800000 + i;
    const kind = r();
    if (kind < 0.45) {
      const secret = r() < 0.1;
      out.push(
        JSON.stringify({
          level: pick([20, 30, 30, 30, 40, 50]),
          time: t,
          pid: 8,
          hostname: 'localhost',
          name: pick(services),
          reqId: tx,
          msg: secret
            ? `charge for user ann${i}@example.com card 4111 1111 1111 1111`
            : `handled request ${i} in ${Math.floor(r() * 300)} ms`,
          http: { method: pick(['GET', 'POST']), path: pick(paths), status: pick([200, 200, 201, 404, 500]) },
          user: { id: `u-${i % 97}`, session: `s-${hex(12)}` },
          order: secret ? `ORD-${String(i).padStart(8, '0')}` : undefined,
          stage: pick(['prod', 'dev']),
        }),
      );
    } else if (kind < 0.8) {
      out.push(
        JSON.stringify({
          level: pick(['INFO', 'INFO', 'DEBUG', 'WARN', 'ERROR']),
          message:
            r() < 0.1
              ? `token refresh Authorization: Bearer ${hex(40)}`
              : `processed batch of ${Math.floor(r() * 50)} records`,
          service: pick(services),
          timestamp: new Date(t).toISOString(),
          xray_trace_id: `1-${hex(8)}-${hex(24)}`,
          correlation_id: tx,
          cold_start: r() < 0.05,
          function_name: 'orders-prod',
          function_memory_size: 512,
          function_request_id: `${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}`,
          details: {
            items: Math.floor(r() * 10),
            region: 'eu-west-1',
            note: 'all good',
            phone: r() < 0.05 ? '+44 20 7946 0958' : undefined,
          },
        }),
      );
    } else if (kind < 0.95) {
      out.push(
        `${new Date(t).toISOString()}\t${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}\tINFO\tfetched ${Math.floor(r() * 1000)} rows from table orders in ${Math.floor(r() * 90)} ms`,
      );
    } else {
      out.push(
        `REPORT RequestId: ${hex(8)}-${hex(4)}-${hex(4)}-${hex(4)}-${hex(12)}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 512 MB\tMax Memory Used: 87 MB\t`,
      );
    }
  }
  return out;
}

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

/** Ten representative author rules (beside the default pack) for the benchmark. */
export const BENCH_RULES = `
rules:
  - name: drop-health-checks
    kind: drop
    drop_when: { field: attributes.http.path, matches: "^/(health|ready)$" }
  - name: drop-debug-in-prod
    kind: drop
    drop_when:
      and:
        - { field: log.level, in: [trace, debug] }
        - { field: attributes.stage, equals: prod }
  - name: sample-chatty
    kind: sample
    keep_ratio: 0.5
    when: { field: service.name, equals: chatty }
  - name: stage-from-log-group
    kind: enrich
    from_log_group:
      pattern: "^/aws/lambda/(?P<app>[a-z]+)-(?P<stage>[a-z]+)$"
      set: { attributes.deploy.stage: "{stage}", attributes.deploy.app: "{app}" }
  - name: team
    kind: enrich
    set: { attributes.team: commerce }
    rename: { attributes.hostname: attributes.host.name }
  - name: route-errors
    kind: route
    when: { field: log.level, in: [error, fatal] }
    route: errors
  - name: user-ids
    kind: redact
    fields: [attributes.user.id]
    action: partial
    keep_last: 2
  - name: sessions
    kind: redact
    keys: ["*session*"]
    action: hash
    hash_key: BENCH_KEY
  - name: contact-details
    kind: redact
    detectors: [email, phone]
    action: mask
  - name: order-refs
    kind: redact
    patterns: ["ORD-[0-9]{8}"]
    action: mask
`;
