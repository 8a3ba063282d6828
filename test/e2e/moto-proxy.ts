import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Which `PutRecords` entries to fail: those of one stream, one in `every`, while `remaining` calls last. */
interface PutRecordsFault {
  readonly stream: string;
  readonly every: number;
  remaining: number;
}

/** A proxy in front of moto; see {@link startMotoProxy}. */
export interface MotoProxy {
  /** The `endpoint` every AWS SDK client of the test (and `sluice run --endpoint`) uses. */
  readonly endpoint: string;
  /** Entries failed on purpose so far (`ProvisionedThroughputExceededException`). */
  readonly injected: number;
  /** `PutRecords` calls that carried at least one failed entry. */
  readonly partialCalls: number;
  /**
   * Fail one entry in `every` of the next `calls` `PutRecords` calls to `stream` (by name or ARN);
   * the other entries of those calls really go to moto.
   */
  failPutRecords(stream: string, every: number, calls: number): void;
  stop(): Promise<void>;
}

const PUT_RECORDS = 'Kinesis_20131202.PutRecords';

interface PutRecordsInput {
  StreamName?: string;
  StreamARN?: string;
  Records: unknown[];
}

interface PutRecordsOutput {
  FailedRecordCount?: number;
  Records: Record<string, unknown>[];
  EncryptionType?: string;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** One request to moto, answered in full (status, headers, body). */
function forward(
  target: URL,
  req: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...req.headers, host: target.host, 'content-length': String(body.length) };
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: req.url, headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 502, headers: res.headers, body: Buffer.concat(chunks) }),
        );
        res.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

function reply(
  res: ServerResponse,
  status: number,
  headers: Record<string, string | string[] | undefined>,
  body: Buffer,
): void {
  const h: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v !== undefined && k !== 'content-length' && k !== 'transfer-encoding' && k !== 'connection')
      h[k] = v;
  }
  h['content-length'] = String(body.length);
  res.writeHead(status, h);
  res.end(body);
}

/**
 * An HTTP proxy in front of a moto server that (1) forwards **one request at a time**, and
 * (2) can fail chosen entries of `PutRecords` calls the way Kinesis does (per-entry `ErrorCode`,
 * `FailedRecordCount`), which moto cannot do itself.
 *
 * Why one at a time: moto's Kinesis `put_record`/`PutRecords` is not thread-safe — two
 * concurrent writes to one shard can drop a record moto has already acknowledged. Its
 * CloudWatch Logs subscription filters write into Kinesis inside the `PutLogEvents` request.
 * Serialising every request (writes and the reads between them) keeps the emulator from losing
 * records itself, so a record missing at the end of a test is the pipeline's loss, not moto's.
 */
export async function startMotoProxy(motoEndpoint: string): Promise<MotoProxy> {
  const target = new URL(motoEndpoint);
  let queue: Promise<unknown> = Promise.resolve();
  let fault: PutRecordsFault | undefined;
  let injected = 0;
  let partialCalls = 0;
  let entryCounter = 0;

  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task);
    queue = run.catch(() => undefined);
    return run;
  };

  const handlePutRecords = async (req: IncomingMessage, body: Buffer, res: ServerResponse) => {
    const input = JSON.parse(body.toString('utf8')) as PutRecordsInput;
    const f = fault;
    const name = input.StreamName ?? input.StreamARN?.split('/').pop();
    if (!f || f.remaining <= 0 || name !== f.stream) {
      const answer = await forward(target, req, body);
      reply(res, answer.status, answer.headers, answer.body);
      return;
    }
    f.remaining--;
    const failed = input.Records.map(() => entryCounter++ % f.every === 0);
    const pass = input.Records.filter((_, i) => !failed[i]);
    let real: PutRecordsOutput = { FailedRecordCount: 0, Records: [] };
    let headers: Record<string, string | string[] | undefined> = {
      'content-type': 'application/x-amz-json-1.1',
    };
    if (pass.length > 0) {
      const answer = await forward(target, req, Buffer.from(JSON.stringify({ ...input, Records: pass })));
      if (answer.status !== 200) {
        reply(res, answer.status, answer.headers, answer.body);
        return;
      }
      real = JSON.parse(answer.body.toString('utf8')) as PutRecordsOutput;
      headers = answer.headers;
    }
    let j = 0;
    const nFailed = failed.filter(Boolean).length;
    const merged: PutRecordsOutput = {
      ...real,
      FailedRecordCount: (real.FailedRecordCount ?? 0) + nFailed,
      Records: input.Records.map((_, i) =>
        failed[i]
          ? {
              ErrorCode: 'ProvisionedThroughputExceededException',
              ErrorMessage: 'Rate exceeded for shard (injected by the test proxy)',
            }
          : real.Records[j++]!,
      ),
    };
    if (nFailed > 0) {
      injected += nFailed;
      partialCalls++;
    }
    reply(res, 200, headers, Buffer.from(JSON.stringify(merged)));
  };

  const server = createServer((req, res) => {
    readBody(req)
      .then((body) =>
        serially(async () => {
          if (req.headers['x-amz-target'] === PUT_RECORDS) await handlePutRecords(req, body, res);
          else {
            const answer = await forward(target, req, body);
            reply(res, answer.status, answer.headers, answer.body);
          }
        }),
      )
      .catch(() => {
        if (!res.headersSent) res.writeHead(502);
        res.end();
      });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get injected() {
      return injected;
    },
    get partialCalls() {
      return partialCalls;
    },
    failPutRecords(stream, every, calls) {
      fault = { stream, every, remaining: calls };
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
