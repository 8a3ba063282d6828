import { timingSafeEqual } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { isIP } from 'node:net';
import { HTTP_ERROR_CODES as C, HttpError } from './errors.js';

/**
 * Who may talk to `sluice start`'s HTTP server. The server runs next to a browser that visits
 * arbitrary websites, so it answers only requests whose `Host` is a loopback name, an IP address
 * or a configured name (DNS rebinding), refuses browser requests from other origins unless
 * configured (CORS), and — when a token is set — every request without it.
 */
export interface AccessPolicy {
  /** Extra host names served (lowercase); `.example.com` also matches its subdomains. */
  readonly allowedHosts: readonly string[];
  /** Origins (`scheme://host[:port]`) whose pages may read and write (CORS); none by default. */
  readonly corsOrigins: readonly string[];
  /** When set, every request needs it (bearer header, the UI's cookie, or Firehose's access key header). */
  readonly token?: string;
  /** The port the server listens on: names the UI's cookie so two instances on one host do not clash. */
  readonly cookieName: string;
}

/** What a request is for (decides which cross-site requests may pass). */
export type RouteKind = 'ui' | 'asset' | 'api' | 'ingest';

/** True for an address that only this machine reaches (127.0.0.0/8, ::1, localhost). */
export function isLoopbackAddress(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  if (isIP(h) === 4) return h.startsWith('127.');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
  return mapped !== null && mapped[1]!.startsWith('127.');
}

/** The host name of a `Host` header without its port and trailing dot, lowercase; undefined when malformed. */
export function hostName(header: string | undefined): string | undefined {
  if (header === undefined || header.length === 0 || header.length > 255) return undefined;
  const h = header.toLowerCase();
  let name: string;
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    if (end === -1) return undefined;
    name = h.slice(1, end);
    if (isIP(name) !== 6) return undefined;
    const rest = h.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return name;
  }
  const m = /^([a-z0-9._-]+)(?::\d{1,5})?$/.exec(h);
  if (!m) return undefined;
  name = m[1]!.replace(/\.$/, '');
  return name === '' ? undefined : name;
}

/**
 * Whether a request naming `name` in its `Host` header is served: loopback names (`localhost`,
 * `*.localhost`), IP literals (a rebinding attack needs a name the attacker controls, never a
 * literal), and the configured names.
 */
export function hostAllowed(name: string, allowed: readonly string[]): boolean {
  if (name === 'localhost' || name.endsWith('.localhost') || isIP(name) !== 0) return true;
  return allowed.some((a) => {
    const n = a.toLowerCase().replace(/\.$/, '');
    return n.startsWith('.') ? name === n.slice(1) || name.endsWith(n) : name === n;
  });
}

const header = (h: IncomingHttpHeaders, name: string): string | undefined => {
  const v = h[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
};

/** Compares two secrets in constant time (for equal lengths). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** One cookie's value from a `Cookie` header. */
function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Body types a browser may send cross-origin without a CORS preflight ("simple" requests). */
const SIMPLE_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data'];

/** The verdict on one request: refused with an error, or allowed with the CORS headers to add. */
export type AccessVerdict =
  | { readonly ok: true; readonly cors: Readonly<Record<string, string>> }
  | { readonly ok: false; readonly error: HttpError };

const refuse = (status: number, code: (typeof C)[keyof typeof C], message: string): AccessVerdict => ({
  ok: false,
  error: new HttpError(status, code, message),
});

/** The CORS headers for an allowed cross-origin `origin`. */
function corsHeaders(origin: string): Record<string, string> {
  return {
    'access-control-allow-origin': origin,
    'access-control-allow-credentials': 'true',
    vary: 'Origin',
  };
}

/**
 * Decides whether a request may be answered (pure: headers in, verdict out). Order: the `Host`
 * (DNS rebinding), the browser's origin (`Origin`, `Sec-Fetch-Site`), the body type of writes,
 * then the token. A cross-site top-level navigation to a UI page is allowed (a shared
 * `/trace/<id>` link; the page's own API calls are same-origin) — the browser never lets the
 * other site read it, and frames are refused by `X-Frame-Options`.
 */
export function checkAccess(
  policy: AccessPolicy,
  req: { readonly method: string; readonly headers: IncomingHttpHeaders },
  route: RouteKind,
  /** The request already proved who it is (the `?token=` of a UI link, Firehose's own access key). */
  authenticated = false,
): AccessVerdict {
  const h = req.headers;
  const name = hostName(header(h, 'host'));
  if (name === undefined || !hostAllowed(name, policy.allowedHosts)) {
    return refuse(
      403,
      C.hostNotAllowed,
      'this Host is not served: expected localhost, an IP address or a name listed in http.allowed_hosts',
    );
  }
  const origin = header(h, 'origin');
  const site = header(h, 'sec-fetch-site');
  const self = `http://${(header(h, 'host') ?? '').toLowerCase()}`;
  const configured = origin !== undefined && policy.corsOrigins.includes(origin);
  const navigation =
    route === 'ui' &&
    (req.method === 'GET' || req.method === 'HEAD') &&
    header(h, 'sec-fetch-mode') === 'navigate' &&
    (header(h, 'sec-fetch-dest') ?? 'document') === 'document';
  const crossOrigin =
    (origin !== undefined && origin !== self) || site === 'cross-site' || site === 'same-site';
  if (crossOrigin && !configured && !navigation) {
    return refuse(
      403,
      C.originNotAllowed,
      'a request from another website is refused: expected a same-origin request, a client without an Origin (curl, an SDK), or an origin listed in http.cors_origins',
    );
  }
  if (route === 'ingest' && (origin !== undefined || site !== undefined) && !configured) {
    const type = (header(h, 'content-type') ?? '').split(';')[0]!.trim().toLowerCase();
    if (type === '' || SIMPLE_TYPES.includes(type)) {
      return refuse(
        415,
        C.unsupportedMedia,
        'a browser may send ingest bodies only as application/x-ndjson or application/json (form and text/plain bodies are refused)',
      );
    }
  }
  if (policy.token !== undefined && !authenticated && !hasToken(policy, h, route)) {
    return refuse(
      401,
      C.unauthorized,
      'this server needs its token: send "Authorization: Bearer <token>" (Firehose: X-Amz-Firehose-Access-Key), or open /?token=<token> once in the browser',
    );
  }
  return { ok: true, cors: configured && origin !== undefined ? corsHeaders(origin) : {} };
}

function hasToken(policy: AccessPolicy, h: IncomingHttpHeaders, route: RouteKind): boolean {
  const token = policy.token as string;
  const auth = header(h, 'authorization');
  if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7), token)) return true;
  if (route === 'ingest' && sameSecret(header(h, 'x-amz-firehose-access-key'), token)) return true;
  return sameSecret(cookieValue(header(h, 'cookie'), policy.cookieName), token);
}

/**
 * The answer to a CORS preflight (`OPTIONS`): 204 with the allowed methods and headers for a
 * configured origin (and Chromium's private-network opt-in), else refused.
 */
export function preflight(policy: AccessPolicy, headers: IncomingHttpHeaders): AccessVerdict {
  const name = hostName(header(headers, 'host'));
  if (name === undefined || !hostAllowed(name, policy.allowedHosts))
    return refuse(403, C.hostNotAllowed, 'this Host is not served');
  const origin = header(headers, 'origin');
  if (origin === undefined || !policy.corsOrigins.includes(origin)) {
    return refuse(
      403,
      C.originNotAllowed,
      'cross-origin requests are refused: expected an origin listed in http.cors_origins',
    );
  }
  const cors: Record<string, string> = {
    ...corsHeaders(origin),
    'access-control-allow-methods': 'GET, POST',
    'access-control-allow-headers':
      'authorization, content-type, content-encoding, x-sluice-batch-id, x-amz-firehose-request-id, x-amz-firehose-access-key',
    'access-control-max-age': '600',
  };
  if (header(headers, 'access-control-request-private-network') === 'true')
    cors['access-control-allow-private-network'] = 'true';
  return { ok: true, cors };
}
