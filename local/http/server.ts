import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IngestError } from '../../ingest/errors.js';
import type { SearchBackend } from '../../search/types.js';
import type { Pipeline, PipelineStats } from '../pipeline.js';
import { errorReply, handleApi, type JsonReply } from './api.js';
import { type IngestLimits, RequestBudget } from './budget.js';
import { HTTP_ERROR_CODES as C, HttpError } from './errors.js';
import { streamExport } from './export.js';
import { bodyChunks, RequestSubmitter, readAll } from './ingest-body.js';
import {
  firehoseResponse,
  type IngestUnit,
  ingestNdjson,
  parseCwlBody,
  parseFirehoseBody,
} from './ingest-formats.js';
import { type AccessPolicy, checkAccess, preflight, type RouteKind, sameSecret } from './policy.js';

/** The bundled front-end served at `/`. */
export interface UiAssets {
  readonly html: string;
  readonly js: string;
  readonly css: string;
}

/** What the HTTP server is handed by the composition root. */
export interface ServerDeps {
  readonly pipeline: Pipeline;
  readonly search: SearchBackend;
  readonly ui: UiAssets;
  /** When set, `/ingest/ndjson` and `/ingest/cwl` need `Authorization: Bearer <token>`. */
  readonly ingestToken?: string;
  /** When set, `/ingest/firehose` needs a matching `X-Amz-Firehose-Access-Key`. */
  readonly firehoseAccessKey?: string;
  /** The budgets of each ingest request. */
  readonly limits: IngestLimits;
  /** Ingest requests read at once; more are answered 429 with Retry-After. */
  readonly maxConcurrentIngest: number;
  /** Server timeouts and the connection cap. */
  readonly timeouts: {
    readonly requestMs: number;
    readonly headersMs: number;
    readonly maxConnections: number;
  };
  /** Who may talk to the server: hosts, origins, token. */
  readonly access: AccessPolicy;
  /** Whether the `/ingest/*` endpoints are on (the `http` source). */
  readonly ingestEnabled: boolean;
  /** Extra facts for `/api/stats` (e.g. which sources run). */
  readonly info: Record<string, unknown>;
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-resource-policy': 'same-origin',
};

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  res.writeHead(status, {
    'content-type': type,
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
    ...corsOf(res),
    // Answered before its body was read (refused): the rest is discarded and the connection is
    // not reused, so a client never writes its next request into a half-read one.
    ...(res.req?.complete === false ? { connection: 'close' } : {}),
    ...headers,
  });
  res.end(body);
}
const sendJson = (res: ServerResponse, r: JsonReply): void =>
  send(res, r.status, 'application/json; charset=utf-8', JSON.stringify(r.body));

/** The CORS headers decided for this response's request (set by the access check). */
const CORS = new WeakMap<ServerResponse, Readonly<Record<string, string>>>();
const corsOf = (res: ServerResponse): Readonly<Record<string, string>> => CORS.get(res) ?? {};

function sendError(res: ServerResponse, err: HttpError): void {
  send(
    res,
    err.status,
    'application/json; charset=utf-8',
    JSON.stringify({ error: { code: err.code, message: err.message } }),
    err.headers,
  );
}

/** Turns submitted/rejected units of a one-JSON body into pipeline inputs, in order. */
async function submitUnits(units: readonly IngestUnit[], submitter: RequestSubmitter): Promise<boolean> {
  for (const u of units) {
    if (u.kind === 'lines') {
      for (const l of u.lines) if (!(await submitter.line(l.text, l.id))) return false;
    } else if (!(await submitter.payload(u.result, u.raw))) return false;
  }
  return submitter.flush();
}

/** Bodies up to this size (declared in Content-Length) are read in the small-request lane. */
const SMALL_BODY_BYTES = 256 * 1024;

const INGEST_PATHS = new Set(['/ingest/ndjson', '/ingest/cwl', '/ingest/firehose']);

const firehoseId = (req: IncomingMessage): string => {
  const id = req.headers['x-amz-firehose-request-id'];
  return typeof id === 'string' ? id.slice(0, 256) : '';
};

async function handleFirehose(
  req: IncomingMessage,
  res: ServerResponse,
  deps: ServerDeps,
  budget: RequestBudget,
): Promise<void> {
  const requestId = firehoseId(req);
  const fail = (status: number, message: string, headers: Readonly<Record<string, string>> = {}): void =>
    send(res, status, 'application/json', firehoseResponse(requestId, Date.now(), message), headers);
  const submitter = new RequestSubmitter(deps.pipeline, budget, 'firehose');
  try {
    const parsed = parseFirehoseBody(
      await readAll(req, budget),
      requestId || undefined,
      budget.decodeOptions(),
    );
    if (!(await submitUnits(parsed.units, submitter))) return fail(503, 'sluice is stopping; retry later');
    send(res, 200, 'application/json', firehoseResponse(parsed.requestId, Date.now()));
  } catch (err) {
    if (err instanceof HttpError) return fail(err.status, err.message, err.headers);
    if (err instanceof IngestError) return fail(400, err.message);
    throw err;
  } finally {
    deps.pipeline.countTruncated(budget.truncated);
  }
}

async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ServerDeps,
): Promise<void> {
  const budget = new RequestBudget(deps.limits);
  if (path === '/ingest/firehose') return handleFirehose(req, res, deps, budget);
  if (deps.ingestToken !== undefined) {
    const auth = req.headers.authorization;
    if (!sameSecret(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, deps.ingestToken)) {
      throw new HttpError(401, C.unauthorized, 'expected Authorization: Bearer <ingest token>');
    }
  }
  const submitter = new RequestSubmitter(deps.pipeline, budget, path === '/ingest/ndjson' ? 'http' : 'cwl');
  let ok: boolean;
  try {
    if (path === '/ingest/ndjson') {
      const batchHeader = req.headers['x-sluice-batch-id'];
      const batch = typeof batchHeader === 'string' && batchHeader.length <= 200 ? batchHeader : randomUUID();
      ok = await ingestNdjson(bodyChunks(req, budget), batch, submitter, budget);
    } else {
      ok = await submitUnits(parseCwlBody(await readAll(req, budget), budget.decodeOptions()), submitter);
    }
  } finally {
    deps.pipeline.countTruncated(budget.truncated);
  }
  if (!ok) throw new HttpError(503, C.stopping, 'sluice is stopping; retry later', { 'retry-after': '5' });
  const status = path === '/ingest/cwl' && submitter.rejected > 0 && submitter.accepted === 0 ? 400 : 202;
  sendJson(res, {
    status,
    body: { accepted: submitter.accepted, rejected: submitter.rejected, truncated: budget.truncated },
  });
}

function statsBody(stats: PipelineStats, deps: ServerDeps): unknown {
  return { ...stats, backend: deps.search.kind, ...deps.info };
}

const routeOf = (path: string): RouteKind =>
  path.startsWith('/ingest/')
    ? 'ingest'
    : path.startsWith('/api/')
      ? 'api'
      : path.startsWith('/assets/') || path === '/favicon.ico'
        ? 'asset'
        : 'ui';

/** The UI link `/?token=…` of a server with a token: right token → cookie + redirect without it. */
function tokenLink(url: URL, policy: AccessPolicy): 'none' | 'valid' | 'wrong' {
  const given = url.searchParams.get('token');
  if (given === null || policy.token === undefined) return 'none';
  return sameSecret(given, policy.token) ? 'valid' : 'wrong';
}

/** Builds the request handler: UI at `/`, search API under `/api/`, ingest under `/ingest/`. */
function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  const inFlight = { small: 0, large: 0 };
  return (req, res) => {
    // A request refused before its body was read: the rest of the body is discarded as it arrives
    // (never buffered; the request timeout bounds it), so the client reads its answer.
    res.once('finish', () => {
      if (!req.complete) req.resume();
    });
    const run = async (): Promise<void> => {
      let url: URL;
      try {
        url = new URL(req.url ?? '/', 'http://localhost');
      } catch {
        throw new HttpError(400, C.badRequest, 'the request URL is malformed');
      }
      const path = url.pathname;
      if (req.method === 'OPTIONS') {
        const v = preflight(deps.access, req.headers);
        if (!v.ok) throw v.error;
        res.writeHead(204, { ...SECURITY_HEADERS, ...v.cors });
        res.end();
        return;
      }
      const route = routeOf(path);
      const link = route === 'ui' ? tokenLink(url, deps.access) : 'none';
      const firehoseKey =
        path === '/ingest/firehose' &&
        deps.firehoseAccessKey !== undefined &&
        sameSecret(req.headers['x-amz-firehose-access-key'] as string | undefined, deps.firehoseAccessKey);
      const verdict = checkAccess(
        deps.access,
        { method: req.method ?? 'GET', headers: req.headers },
        route,
        link === 'valid' || firehoseKey,
      );
      if (!verdict.ok) {
        if (path === '/ingest/firehose') {
          const id = req.headers['x-amz-firehose-request-id'];
          return send(
            res,
            verdict.error.status,
            'application/json',
            firehoseResponse(
              typeof id === 'string' ? id.slice(0, 256) : '',
              Date.now(),
              verdict.error.message,
            ),
          );
        }
        throw verdict.error;
      }
      CORS.set(res, verdict.cors);
      if (link === 'valid') {
        // Keep the token in an HttpOnly, SameSite=Strict cookie; drop it from the address bar.
        url.searchParams.delete('token');
        res.writeHead(303, {
          ...SECURITY_HEADERS,
          'set-cookie': `${deps.access.cookieName}=${deps.access.token}; HttpOnly; SameSite=Strict; Path=/`,
          location: `${url.pathname}${url.search}`,
          'cache-control': 'no-store',
        });
        res.end();
        return;
      }
      if (route === 'ingest') {
        if (!deps.ingestEnabled || !INGEST_PATHS.has(path))
          throw new HttpError(404, C.notFound, `no ingest endpoint at ${path}`);
        if (req.method !== 'POST')
          throw new HttpError(405, C.methodNotAllowed, `${path} takes POST`, { allow: 'POST' });
        if (path === '/ingest/firehose' && deps.firehoseAccessKey !== undefined && !firehoseKey) {
          const id = req.headers['x-amz-firehose-request-id'];
          return send(
            res,
            401,
            'application/json',
            firehoseResponse(
              typeof id === 'string' ? id.slice(0, 256) : '',
              Date.now(),
              'missing or wrong X-Amz-Firehose-Access-Key',
            ),
          );
        }
        // Small requests (a declared body up to 256 KiB) have a lane of their own, so a few large
        // bodies being read cannot keep every small client out.
        const declared = Number(req.headers['content-length'] ?? Number.NaN);
        const lane = declared <= SMALL_BODY_BYTES ? 'small' : 'large';
        const cap = lane === 'small' ? deps.maxConcurrentIngest * 2 : deps.maxConcurrentIngest;
        if (inFlight[lane] >= cap) {
          throw new HttpError(
            429,
            C.busy,
            `${cap} ${lane} ingest requests are already being read (http.limits.max_concurrent_requests): retry after 1 s`,
            { 'retry-after': '1' },
          );
        }
        inFlight[lane] += 1;
        try {
          await handleIngest(req, res, path, deps);
        } finally {
          inFlight[lane] -= 1;
        }
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD')
        throw new HttpError(405, C.methodNotAllowed, `${path} takes GET`, { allow: 'GET, HEAD' });
      if (path === '/api/stats')
        return sendJson(res, { status: 200, body: statsBody(deps.pipeline.stats(), deps) });
      if (route === 'api') {
        // A client that goes away stops its query (the worker running it is replaced).
        const gone = new AbortController();
        res.on('close', () => {
          if (!res.writableFinished) gone.abort();
        });
        const search = deps.search.withSignal?.(gone.signal) ?? deps.search;
        if (path === '/api/export') {
          try {
            await streamExport(
              res,
              url.searchParams,
              search,
              { ...SECURITY_HEADERS, ...corsOf(res) },
              gone.signal,
            );
          } catch (err) {
            if (res.headersSent) return void res.destroy();
            sendJson(res, errorReply(err));
          }
          return;
        }
        const reply = await handleApi(path, url.searchParams, search);
        if (!reply) throw new HttpError(404, C.notFound, `no API at ${path}`);
        return sendJson(res, reply);
      }
      if (path === '/assets/app.js') return send(res, 200, 'text/javascript; charset=utf-8', deps.ui.js);
      if (path === '/assets/app.css') return send(res, 200, 'text/css; charset=utf-8', deps.ui.css);
      if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      if (route === 'asset') throw new HttpError(404, C.notFound, `no asset at ${path}`);
      // Every other path is a route of the single-page app (e.g. /trace/<id>).
      return send(res, 200, 'text/html; charset=utf-8', deps.ui.html, {
        'content-security-policy':
          "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'",
      });
    };
    run().catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      if (err instanceof HttpError) return sendError(res, err);
      if (err instanceof IngestError) return sendError(res, new HttpError(400, C.badRequest, err.message));
      sendJson(res, {
        status: 500,
        body: { error: { code: 'INTERNAL', message: err instanceof Error ? err.message : 'internal error' } },
      });
    });
  };
}

/** Starts the HTTP server on `host:port` (0 = any free port) and resolves with its URL. */
export async function startServer(
  deps: ServerDeps,
  host: string,
  port: number,
): Promise<{ server: Server; url: string; close(): Promise<void> }> {
  const server = createServer(createHandler(deps));
  server.keepAliveTimeout = 5000;
  // Slow clients cannot hold a connection for long (Node's default is 300 s), nor open without bound.
  server.requestTimeout = deps.timeouts.requestMs;
  server.headersTimeout = deps.timeouts.headersMs;
  server.maxConnections = deps.timeouts.maxConnections;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  return {
    server,
    url: `http://${shown}:${addr.port}`,
    // Idle keep-alive connections go at once; answers still being written get up to 2 s.
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 2000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
