import { randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { IngestError } from '../../ingest/errors.js';
import type { SearchBackend } from '../../search/types.js';
import type { Pipeline, PipelineStats } from '../pipeline.js';
import { handleApi, type JsonReply } from './api.js';
import {
  firehoseResponse,
  type IngestUnit,
  parseCwlBody,
  parseFirehoseBody,
  parseNdjsonBody,
} from './ingest-formats.js';

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
  /** Largest request body accepted (after gunzip), bytes. */
  readonly maxBodyBytes: number;
  /** Whether the `/ingest/*` endpoints are on (the `http` source). */
  readonly ingestEnabled: boolean;
  /** Extra facts for `/api/stats` (e.g. which sources run). */
  readonly info: Record<string, unknown>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
};

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', ...SECURITY_HEADERS });
  res.end(body);
}
const sendJson = (res: ServerResponse, r: JsonReply): void =>
  send(res, r.status, 'application/json; charset=utf-8', JSON.stringify(r.body));

async function readBody(req: IncomingMessage, max: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > max) throw new HttpError(413, `the body is larger than ${max} bytes`);
    chunks.push(chunk as Buffer);
  }
  let buf = Buffer.concat(chunks);
  if ((req.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') {
    try {
      buf = gunzipSync(buf, { maxOutputLength: max });
    } catch {
      throw new HttpError(400, `the gzip body is invalid or inflates past ${max} bytes`);
    }
  }
  return buf.toString('utf8');
}

const sameSecret = (given: string | undefined, expected: string): boolean => {
  if (given === undefined) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
};

/** Hands decoded units to the pipeline; `false` when it is stopping (the client should retry). */
async function submitUnits(
  pipeline: Pipeline,
  units: readonly IngestUnit[],
  source: string,
): Promise<{ ok: boolean; events: number; rejected: number }> {
  let events = 0;
  let rejected = 0;
  for (const u of units) {
    if (u.kind === 'lines') {
      if (!(await pipeline.submit({ kind: 'lines', source, lines: u.lines })))
        return { ok: false, events, rejected };
      events += u.lines.length;
    } else if (u.result.kind === 'data') {
      if (!(await pipeline.submit({ kind: 'envelope', envelope: u.result.envelope })))
        return { ok: false, events, rejected };
      events += u.result.envelope.logEvents.length;
    } else if (u.result.kind === 'control') pipeline.skipControl();
    else {
      rejected += 1;
      await pipeline.rejectRecord(u.raw ?? '', u.result.error);
    }
  }
  return { ok: true, events, rejected };
}

async function handleIngest(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  deps: ServerDeps,
): Promise<void> {
  if (path === '/ingest/firehose') {
    const headerId = req.headers['x-amz-firehose-request-id'];
    const requestId = typeof headerId === 'string' ? headerId : '';
    const now = Date.now();
    if (
      deps.firehoseAccessKey !== undefined &&
      !sameSecret(req.headers['x-amz-firehose-access-key'] as string | undefined, deps.firehoseAccessKey)
    ) {
      send(
        res,
        401,
        'application/json',
        firehoseResponse(requestId, now, 'missing or wrong X-Amz-Firehose-Access-Key'),
      );
      return;
    }
    let parsed: ReturnType<typeof parseFirehoseBody>;
    try {
      parsed = parseFirehoseBody(await readBody(req, deps.maxBodyBytes), requestId || undefined);
    } catch (err) {
      const status = err instanceof HttpError ? err.status : 400;
      send(res, status, 'application/json', firehoseResponse(requestId, now, (err as Error).message));
      return;
    }
    const r = await submitUnits(deps.pipeline, parsed.units, 'firehose');
    if (!r.ok)
      send(
        res,
        503,
        'application/json',
        firehoseResponse(parsed.requestId, Date.now(), 'sluice is stopping; retry later'),
      );
    else send(res, 200, 'application/json', firehoseResponse(parsed.requestId, Date.now()));
    return;
  }
  if (deps.ingestToken !== undefined) {
    const auth = req.headers.authorization;
    if (!sameSecret(auth?.startsWith('Bearer ') ? auth.slice(7) : undefined, deps.ingestToken)) {
      sendJson(res, {
        status: 401,
        body: {
          error: { code: 'INGEST_UNAUTHORIZED', message: 'expected Authorization: Bearer <ingest token>' },
        },
      });
      return;
    }
  }
  const text = await readBody(req, deps.maxBodyBytes);
  const batchHeader = req.headers['x-sluice-batch-id'];
  const batch = typeof batchHeader === 'string' && batchHeader.length <= 200 ? batchHeader : randomUUID();
  const units = path === '/ingest/ndjson' ? parseNdjsonBody(text, batch) : parseCwlBody(text);
  const r = await submitUnits(deps.pipeline, units, path === '/ingest/ndjson' ? 'http' : 'cwl');
  if (!r.ok) {
    sendJson(res, {
      status: 503,
      body: { error: { code: 'STOPPING', message: 'sluice is stopping; retry later' } },
    });
    return;
  }
  const status = path === '/ingest/cwl' && r.rejected > 0 && r.events === 0 ? 400 : 202;
  sendJson(res, { status, body: { accepted: r.events, rejected: r.rejected } });
}

function statsBody(stats: PipelineStats, deps: ServerDeps): unknown {
  return { ...stats, backend: deps.search.kind, ...deps.info };
}

/** Builds the request handler: UI at `/`, search API under `/api/`, ingest under `/ingest/`. */
export function createHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const path = url.pathname;
    const run = async (): Promise<void> => {
      if (
        deps.ingestEnabled &&
        req.method === 'POST' &&
        (path === '/ingest/ndjson' || path === '/ingest/cwl' || path === '/ingest/firehose')
      ) {
        await handleIngest(req, res, path, deps);
        return;
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') throw new HttpError(405, 'method not allowed');
      if (path === '/api/stats')
        return sendJson(res, { status: 200, body: statsBody(deps.pipeline.stats(), deps) });
      if (path.startsWith('/api/')) {
        const reply = await handleApi(path, url.searchParams, deps.search);
        return sendJson(
          res,
          reply ?? { status: 404, body: { error: { code: 'NOT_FOUND', message: `no API at ${path}` } } },
        );
      }
      if (path === '/assets/app.js') return send(res, 200, 'text/javascript; charset=utf-8', deps.ui.js);
      if (path === '/assets/app.css') return send(res, 200, 'text/css; charset=utf-8', deps.ui.css);
      if (path === '/favicon.ico') return send(res, 204, 'image/x-icon', '');
      // Every other path is a route of the single-page app (e.g. /trace/<id>).
      res.setHeader(
        'content-security-policy',
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'",
      );
      return send(res, 200, 'text/html; charset=utf-8', deps.ui.html);
    };
    run().catch((err: unknown) => {
      if (res.headersSent) return res.destroy();
      const status = err instanceof HttpError ? err.status : err instanceof IngestError ? 400 : 500;
      sendJson(res, {
        status,
        body: {
          error: { code: status === 500 ? 'INTERNAL' : 'BAD_REQUEST', message: (err as Error).message },
        },
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
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
