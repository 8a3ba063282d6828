import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyRoleMapping } from '../../infra/opensearch-access/handler.js';
import { WRITER_ROLE } from '../../infra/opensearch-access/mapping.js';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import { createOpenSearchClient } from '../../sinks/opensearch/client.js';
import { OPENSEARCH_ERROR_CODES } from '../../sinks/opensearch/errors.js';
import { createOpenSearchSink } from '../../sinks/opensearch/sink.js';
import { runSluice } from '../factories/cli.js';
import { makeLogEvents } from '../factories/log-events.js';
import { lettersIn } from '../factories/opensearch.js';
import {
  type Credentials,
  type SecureOpenSearchNode,
  startSecureOpenSearch,
} from '../services/opensearch-secure.js';

// A node with the security plugin: TLS, basic auth against internal users, fine-grained access
// control. On Amazon OpenSearch Service the sink signs with SigV4 and its IAM role ARN becomes a
// backend role; here internal users carry those ARNs as backend roles, so the same role mapping
// (the custom resource's code path) decides what each may do.
const MASTER_ARN = 'arn:aws:iam::123456789012:role/sluice-role-mapper';
const SINK_ARN = 'arn:aws:iam::123456789012:role/sluice-sink';
const READER_ARN = 'arn:aws:iam::123456789012:role/sluice-reader';
const PREFIX = 'sluice-sec';

let node: SecureOpenSearchNode;
let dir: string;
let master: Credentials;
let sinkUser: Credentials;
let reader: Credentials;
const clients: Client[] = [];

const clientAs = (who: Credentials): Client => {
  const c = createOpenSearchClient({ node: node.url, basicAuth: who, caCert: node.ca });
  clients.push(c);
  return c;
};
const rolesOf = async (who: Credentials): Promise<string[]> => {
  const res = await node.request('GET', '/_plugins/_security/api/account', undefined, who);
  expect(res.status).toBe(200);
  return (res.body as { roles: string[] }).roles.sort();
};

beforeAll(async () => {
  node = await startSecureOpenSearch({ heapMb: 768 });
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-sec-it-'));
  // What Amazon OpenSearch Service does at domain creation: the master ARN gets all_access and
  // security_manager. The custom resource then runs as that master.
  master = await node.createUser('master', [MASTER_ARN]);
  for (const role of ['all_access', 'security_manager']) {
    const res = await node.request('PUT', `/_plugins/_security/api/rolesmapping/${role}`, {
      backend_roles: ['admin', MASTER_ARN],
    });
    expect(res.status).toBeLessThan(300);
  }
  sinkUser = await node.createUser('sink', [SINK_ARN]);
  reader = await node.createUser('reader', [READER_ARN]);
  const role = await node.request('PUT', '/_plugins/_security/api/roles/sluice_reader', {
    cluster_permissions: ['cluster_composite_ops_ro', 'cluster_monitor'],
    index_permissions: [{ index_patterns: [`${PREFIX}-*`, `.ds-${PREFIX}-*`], allowed_actions: ['read'] }],
  });
  expect(role.status).toBeLessThan(300);
  const mapped = await node.request('PUT', '/_plugins/_security/api/rolesmapping/sluice_reader', {
    backend_roles: [READER_ARN],
  });
  expect(mapped.status).toBeLessThan(300);
}, 400_000);

afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await node?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the node', () => {
  it('refuses plain HTTP and unauthenticated HTTPS', async () => {
    await expect(fetch(node.url.replace('https:', 'http:'))).rejects.toThrow();
    const anon = await node.request('GET', '/', undefined, { username: 'nobody', password: 'wrong-Pass-1!' });
    expect(anon.status).toBe(401);
  });
});

describe('role mapping (the custom resource’s code path)', () => {
  it('maps the sink role to the writer role and keeps the master an admin', async () => {
    expect(await rolesOf(sinkUser)).toEqual([]);
    await applyRoleMapping(clientAs(master), {
      indexPattern: `${PREFIX}-*`,
      writerRoleArns: [SINK_ARN],
      adminRoleArns: [MASTER_ARN],
    });
    expect(await rolesOf(sinkUser)).toEqual([WRITER_ROLE]);
    expect(await rolesOf(master)).toEqual(['all_access', 'security_manager']);
    // Idempotent: an update of the stack sends the same calls again.
    await applyRoleMapping(clientAs(master), {
      indexPattern: `${PREFIX}-*`,
      writerRoleArns: [SINK_ARN],
      adminRoleArns: [MASTER_ARN],
    });
    expect(await rolesOf(sinkUser)).toEqual([WRITER_ROLE]);
  });

  it('gives the writer no access to the security API or to other indices', async () => {
    const sec = await node.request('GET', '/_plugins/_security/api/rolesmapping', undefined, sinkUser);
    expect(sec.status).toBe(403);
    const other = await node.request('PUT', '/other-index/_doc/1', { a: 1 }, sinkUser);
    expect(other.status).toBe(403);
  });
});

describe('the sink as the mapped writer', () => {
  it('sets up its templates and indexes every event over TLS', async () => {
    const sink = createOpenSearchSink({
      client: clientAs(sinkUser),
      indexPrefix: PREFIX,
      config: { replicas: 0 },
      deadLetters: createFileDeadLetterStore(path.join(dir, 'writer-letters.ndjson')),
    });
    const setup = await sink.setup();
    expect(setup.indexTemplate).toBe(`${PREFIX}-template`);
    const events = makeLogEvents(25);
    const report = await sink.write(events);
    expect(report.counts).toEqual({ indexed: 25, duplicate: 0, dead_lettered: 0, not_delivered: 0 });
    // The mapping made MASTER_ARN the only admin (as on AWS): read back as the master.
    await node.request('POST', `/${PREFIX}-*/_refresh`, undefined, master);
    const count = await node.request('GET', `/${PREFIX}-*/_count`, undefined, master);
    expect(count.body).toMatchObject({ count: 25 });
  });

  it('reports a refused index outside its pattern as unauthorized, never as dead letters', async () => {
    const letters = path.join(dir, 'outside-letters.ndjson');
    const sink = createOpenSearchSink({
      client: clientAs(sinkUser),
      indexPrefix: 'elsewhere-logs',
      config: { replicas: 0, setup_on_first_write: false },
      deadLetters: createFileDeadLetterStore(letters),
    });
    const report = await sink.write(makeLogEvents(4));
    expect(report.counts).toEqual({ indexed: 0, duplicate: 0, dead_lettered: 0, not_delivered: 4 });
    expect(new Set(report.failures.map((f) => f.code))).toEqual(
      new Set([OPENSEARCH_ERROR_CODES.unauthorized]),
    );
    expect(await lettersIn(letters)).toEqual([]);
  });
});

describe('a user without write permission', () => {
  it('gets a 403 the sink reports as a typed, non-retryable auth failure: every event handed back, none dead-lettered', async () => {
    const letters = path.join(dir, 'reader-letters.ndjson');
    const sink = createOpenSearchSink({
      client: clientAs(reader),
      indexPrefix: PREFIX,
      // A retried failure would end as OPENSEARCH_RETRY_BUDGET_EXHAUSTED; an auth failure is not retried.
      config: { replicas: 0, setup_on_first_write: false, retry_budget_ms: 20_000 },
      deadLetters: createFileDeadLetterStore(letters),
    });
    const events = makeLogEvents(6, {}, 500);
    const report = await sink.write(events);
    expect(report.counts).toEqual({ indexed: 0, duplicate: 0, dead_lettered: 0, not_delivered: 6 });
    expect(report.results).toEqual(events.map(() => 'not_delivered'));
    expect(report.failures).toHaveLength(6);
    for (const f of report.failures) {
      expect(f.code).toBe(OPENSEARCH_ERROR_CODES.unauthorized);
      expect(f.message).toMatch(/403/);
      expect(f.message).not.toContain(events[0]?.message ?? '\u0000');
    }
    expect(await lettersIn(letters)).toEqual([]);
  });

  it('fails the setup before the first write with the same typed error', async () => {
    const sink = createOpenSearchSink({
      client: clientAs(reader),
      indexPrefix: PREFIX,
      config: { replicas: 0 },
    });
    await expect(sink.setup()).rejects.toMatchObject({ code: OPENSEARCH_ERROR_CODES.unauthorized });
    const report = await sink.write(makeLogEvents(3));
    expect(report.counts.not_delivered).toBe(3);
    expect(report.failures.map((f) => f.code)).toEqual(Array(3).fill(OPENSEARCH_ERROR_CODES.unauthorized));
  });

  it('a wrong password is a 401 reported the same way', async () => {
    const sink = createOpenSearchSink({
      client: clientAs({ username: 'sink', password: 'not-the-Password-1!' }),
      indexPrefix: PREFIX,
      config: { replicas: 0, setup_on_first_write: false },
    });
    const report = await sink.write(makeLogEvents(2));
    expect(report.failures.map((f) => [f.code, /401/.test(f.message)])).toEqual([
      [OPENSEARCH_ERROR_CODES.unauthorized, true],
      [OPENSEARCH_ERROR_CODES.unauthorized, true],
    ]);
  });
});

describe('sluice opensearch setup against the secured node', () => {
  const env = (who: Credentials): Record<string, string> => ({
    SLUICE_OPENSEARCH_USERNAME: who.username,
    SLUICE_OPENSEARCH_PASSWORD: who.password,
  });

  it('installs the templates as the writer with --ca-cert and credentials from the environment', async () => {
    const res = await runSluice(
      [
        'opensearch',
        'setup',
        '--node',
        node.url,
        '--ca-cert',
        node.caFile,
        '--prefix',
        `${PREFIX}-cli`,
        '--replicas',
        '0',
      ],
      { env: env(sinkUser) },
    );
    expect(res.stderr).toMatch(/^notice: ISM is not available[^\n]*\n$/); // the runner has no ISM plugin
    expect(res.code).toBe(0);
    expect(res.stdout).toContain(`${PREFIX}-cli-template`);
    const tpl = await node.request('GET', `/_index_template/${PREFIX}-cli-template`, undefined, master);
    expect(tpl.status).toBe(200);
  });

  it('exits 1 naming the 403 for a user without permission, and never prints the password', async () => {
    const res = await runSluice(
      ['opensearch', 'setup', '--node', node.url, '--ca-cert', node.caFile, '--prefix', `${PREFIX}-ro`],
      { env: env(reader) },
    );
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/refused with HTTP 403/);
    expect(res.stderr + res.stdout).not.toContain(reader.password);
  });

  it('refuses the node’s self-signed certificate without --ca-cert (exit 1)', async () => {
    const res = await runSluice(['opensearch', 'setup', '--node', node.url, '--prefix', `${PREFIX}-ca`], {
      env: env(sinkUser),
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/certificate/i);
  });

  it('a missing --ca-cert file or a lone username is a usage error (exit 2)', async () => {
    const noFile = await runSluice(
      ['opensearch', 'setup', '--node', node.url, '--ca-cert', path.join(dir, 'none.pem')],
      {
        env: env(sinkUser),
      },
    );
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/--ca-cert/);
    const lone = await runSluice(['opensearch', 'setup', '--node', node.url, '--ca-cert', node.caFile], {
      env: { SLUICE_OPENSEARCH_USERNAME: 'sink' },
    });
    expect(lone.code).toBe(2);
    expect(lone.stderr).toMatch(/SLUICE_OPENSEARCH_PASSWORD/);
  });
});
