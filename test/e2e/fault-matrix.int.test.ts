import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { uniqueSegment } from '../factories/log-events.js';
import { lettersIn, osJson } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type MotoServer, startMoto } from '../services/moto.js';
import { type OpenSearchNode, startOpenSearch } from '../services/opensearch.js';
import { freePort, portInUse } from '../services/process.js';
import { type ComponentLine, component, createWorld, type World } from './kit.js';
import { type MotoProxy, startMotoProxy } from './moto-proxy.js';
import { forwardTcp, type TcpForward } from './tcp-forward.js';

/*
 * The fault matrix: tens of thousands of CloudWatch Logs events from several log groups (with huge
 * lines and huge field values) go through the real `sluice run` process into a real OpenSearch node
 * while the test kills the runner (SIGKILL, twice), kills the node and restarts it on its data,
 * blocks index writes, causes mapping conflicts (healed in place by the sink) and refusals by an
 * operator's broken template (dead-lettered; replayed once it is repaired), injects poison records
 * into both streams and fails PutRecords entries partially. Then every event is accounted for:
 *   written = indexed + dropped by a named rule + dead-lettered and replayed (`sluice dlq replay`),
 * with 0 duplicates, and the figures are printed.
 *
 * Everything runs on this test's own moto and OpenSearch node (the shared ones are never killed or
 * blocked). Every AWS call — ours, the runner's, and moto's own subscription-filter writes, which
 * happen inside PutLogEvents — goes through a proxy that forwards one request at a time: moto's
 * Kinesis PutRecords is not thread-safe (concurrent writes to one shard can drop a record it has
 * acknowledged), and that must not be mistaken for a loss of ours. The same proxy fails some
 * entries of the runner's PutRecords calls to the events stream, which moto cannot do.
 */

const root = resolve(import.meta.dirname, '../..');
const sfx = uniqueSegment('m');
const prefix = `sluice-logs-matrix${sfx}`;
const groups = {
  api: `/aws/lambda/api-${sfx}`,
  worker: `/aws/lambda/worker-${sfx}`,
  conflict: `/ecs/conflict-${sfx}`,
  big: `/aws/lambda/big-${sfx}`,
};
/** The one rule of the run: events with a /health path are dropped by it, by name. */
const RULES = `
rules:
  - name: drop-health-checks
    kind: drop
    drop_when: { field: attributes.path, matches: "^/health" }
`;
/** Small events per part (four log groups); with the huge ones, over 20,000 events in all. */
const SMALL_PER_PART = 4_000;
const PARTS = 5;
const clusterName = `sluice-matrix-${sfx}`.slice(0, 60);
const HUGE_LINES_PER_PART = 4;
const HUGE_FIELDS_PER_PART = 4;

/** One event the test wrote, with what must become of it. */
interface Written {
  readonly token: string;
  readonly dropped: boolean;
}

/** The lines of one part: every event carries a unique token `n` (→ `attributes.n`). */
function part(label: string, clock: () => number, written: Written[]) {
  const small: ComponentLine[] = [];
  const huge: ComponentLine[] = [];
  const api = component('api', groups.api, `${label}/api`, small, clock);
  const worker = component('worker', groups.worker, `${label}/worker`, small, clock);
  const conflict = component('conflict', groups.conflict, `${label}/conflict`, small, clock);
  const refused = component('refused', groups.conflict, `${label}/refused`, small, clock);
  const big = component('big', groups.big, `${label}/big`, huge, clock);
  let k = 0;
  const token = (dropped = false): string => {
    const t = `${label}-${k++}`;
    written.push({ token: t, dropped });
    return t;
  };
  for (let i = 0; i < SMALL_PER_PART / 4; i++) {
    const tx = `tx-${label}-${i % 200}`;
    api.logger.info({ transactionId: tx, n: token(), user: `user${i}@example.com` }, 'request in');
    worker.logger.info({ transactionId: tx, n: token(), step: i }, 'working');
    if (i % 10 === 0) worker.logger.info({ path: '/health', n: token(true) }, 'health check');
    else api.logger.warn({ transactionId: tx, n: token(), status: 500 }, 'request failed');
    // The conflict service's data stream maps `message` as a number: every one of these conflicts.
    conflict.logger.info({ transactionId: tx, n: token() }, `not a number ${i}`);
    // One in 50 goes to the refused service, whose broken template cannot take it.
    if (i % 50 === 7) refused.logger.info({ transactionId: tx, n: token() }, `refused ${i}`);
  }
  for (let i = 0; i < HUGE_LINES_PER_PART; i++) {
    // A line near CloudWatch Logs' 256 KB limit.
    big.logger.info({ n: token(), i }, `huge line ${'lorem ipsum '.repeat(18_000)}`);
  }
  for (let i = 0; i < HUGE_FIELDS_PER_PART; i++) {
    // One field value over Lucene's 32,766-byte term limit.
    big.logger.info({ n: token(), blob: `v${i}-${'x'.repeat(40_000)}` }, 'huge field');
  }
  return { small, huge };
}

/** Every `attributes.n` in the index (one entry per document, so duplicates show). */
async function indexedTokens(url: string): Promise<string[]> {
  await osJson(`${url}/${prefix}-*/_refresh`, 'POST');
  type Page = { _scroll_id: string; hits: { hits: { _source: { attributes?: { n?: string } } }[] } };
  const tokens: string[] = [];
  let page = await osJson<Page>(`${url}/${prefix}-*/_search?scroll=1m`, 'POST', {
    size: 5000,
    _source: ['attributes.n'],
    query: { match_all: {} },
  });
  while (page.hits.hits.length > 0) {
    for (const h of page.hits.hits) tokens.push(String(h._source.attributes?.n));
    page = await osJson<Page>(`${url}/_search/scroll`, 'POST', { scroll: '1m', scroll_id: page._scroll_id });
  }
  await fetch(`${url}/_search/scroll`, {
    method: 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ scroll_id: page._scroll_id }),
  });
  return tokens;
}

/** Events indexed or dead-lettered so far (documents + distinct event tokens in the dead-letter file). */
async function accounted(url: string, dlqFile: string): Promise<number> {
  return (await docCount(url)) + (await deadLettered(dlqFile)).tokens.size;
}

async function docCount(url: string): Promise<number> {
  try {
    await osJson(`${url}/${prefix}-*/_refresh`, 'POST');
    return (await osJson<{ count: number }>(`${url}/${prefix}-*/_count`)).count;
  } catch {
    return 0;
  }
}

/**
 * What the dead-letter file holds: the tokens of the events in it (distinct), the ids of the
 * letters that hold no event (poison records; distinct — a record dead-lettered again after a
 * runner kill has the same letter id), and the letters per error code.
 */
async function deadLettered(
  file: string,
): Promise<{ tokens: Set<string>; other: Set<string>; byCode: Record<string, number> }> {
  const tokens = new Set<string>();
  const other = new Set<string>();
  const byCode: Record<string, number> = {};
  for (const letter of await lettersIn(file).catch(() => [])) {
    byCode[letter.error.code] = (byCode[letter.error.code] ?? 0) + 1;
    const o = letter.original as { attributes?: { n?: unknown } } | undefined;
    const n = o?.attributes?.n;
    if (typeof n === 'string') tokens.add(n);
    else other.add(letter.id);
  }
  return { tokens, other, byCode };
}

/** Blocks (or unblocks) writes on every backing index of the test's data streams. */
async function writeBlock(url: string, on: boolean): Promise<void> {
  await osJson(`${url}/${prefix}-*/_settings?expand_wildcards=all`, 'PUT', {
    index: { blocks: { write: on } },
  });
}

describe('fault matrix: every event indexed, dropped by a named rule, or dead-lettered and replayed — under runner kills, node kill and restart, write block, mapping conflicts, poison records and partial PutRecords failures', () => {
  let moto: MotoServer;
  let proxy: MotoProxy;
  let node: OpenSearchNode | undefined;
  let basePath: string;
  /** The runner's (and the test's) node URL: a forwarder to whichever node runs now. */
  let forward: TcpForward;
  let url: string;
  let world: World;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    basePath = await mkdtemp(join(tmpdir(), 'sluice-matrix-os-'));
    const starting = startOpenSearch({ basePath, clusterName, heapMb: 512, startTimeoutMs: 300_000 });
    moto = await startMoto();
    proxy = await startMotoProxy(moto.endpoint);
    world = await createWorld(proxy.endpoint, Object.values(groups));
    node = await starting;
    forward = await forwardTcp(await freePort(), Number(new URL(node.url).port));
    url = `http://127.0.0.1:${forward.port}`;
    // A mapping conflict the sink heals in place: `message` mapped as a number.
    await osJson(`${url}/_index_template/${prefix}-conflict-t`, 'PUT', {
      index_patterns: [`${prefix}-conflict*`],
      data_stream: {},
      priority: 1000,
      template: {
        settings: { number_of_replicas: 0 },
        mappings: { properties: { '@timestamp': { type: 'date' }, message: { type: 'long' } } },
      },
    });
    // An operator's broken template that refuses documents for good: `message` is a number and so
    // is `quarantine`, where the sink would move the conflicting value. These are dead-lettered;
    // once the template is repaired (and the data stream rolled over) `sluice dlq replay` indexes them.
    await osJson(`${url}/_index_template/${prefix}-refused-t`, 'PUT', {
      index_patterns: [`${prefix}-refused*`],
      data_stream: {},
      priority: 1000,
      template: {
        settings: { number_of_replicas: 0 },
        mappings: {
          properties: {
            '@timestamp': { type: 'date' },
            message: { type: 'long' },
            quarantine: { type: 'long' },
          },
        },
      },
    });
  }, 360_000);
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await world?.dispose().catch(() => undefined);
    await forward?.close();
    await proxy?.stop();
    await moto?.stop();
    await node?.stop();
  }, 120_000);

  it('accounts for every event with 0 duplicates', { timeout: 600_000 }, async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sluice-matrix-'));
    const rulesFile = join(dir, 'rules.yaml');
    await writeFile(rulesFile, RULES);
    const dlqFile = join(dir, 'dead-letters.ndjson');
    const failuresFile = join(dir, 'runner-failures.ndjson');
    const stderr: string[] = [];
    onTestFailed(() => {
      // The runners' own log lines (not the EMF lines), to see what they were doing.
      stderr.forEach((text, i) => {
        const own = text.split('\n').filter((l) => l.includes('"msg"') || !l.startsWith('{'));
        console.log(`[matrix] runner ${i + 1} log (last 40 lines):\n${own.slice(-40).join('\n')}`);
      });
    });
    const run = () => {
      const child = spawn(
        process.execPath,
        [
          'bin/sluice.js',
          'run',
          ...['--raw-stream', world.raw.name, '--events-stream', world.events.name],
          ...['--opensearch', url, '--index-prefix', prefix, '--endpoint', proxy.endpoint],
          ...['--rules', rulesFile, '--checkpoint', join(dir, 'checkpoint.json'), '--dead-letters', dlqFile],
          ...['--on-failure', failuresFile, '--batch-size', '100', '--poll-interval-ms', '100'],
        ],
        { cwd: root, env: { ...process.env, AWS_REGION: 'us-east-1' }, stdio: ['ignore', 'ignore', 'pipe'] },
      );
      const index = stderr.push('') - 1;
      child.stderr?.on('data', (d: Buffer) => {
        stderr[index] += d.toString();
      });
      children.push(child);
      const exited = new Promise<NodeJS.Signals | number | null>((r) =>
        child.on('exit', (code, signal) => r(signal ?? code)),
      );
      return { child, exited };
    };
    const kill = async (r: ReturnType<typeof run>) => {
      r.child.kill('SIGKILL');
      expect(await r.exited).toBe('SIGKILL');
    };

    let t = Date.now() - 30 * 60_000;
    const clock = () => (t += 1);
    const written: Written[] = [];
    const ship = async (label: string) => {
      const { small, huge } = part(label, clock, written);
      await world.ship(small, 250);
      await world.ship(huge, 2);
    };
    const started = Date.now();
    const phase = (name: string) =>
      console.log(`[matrix +${Math.round((Date.now() - started) / 1000)}s] ${name}`);

    // 1. Poison records in both streams (written before the PutRecords faults start, and checked);
    //    runner A; PutRecords to the events stream then fail one entry in seven for a while.
    const poison = [
      await world.kinesis.send(
        new PutRecordsCommand({
          StreamName: world.raw.name,
          Records: [
            { Data: Buffer.from('{"not":"a gzip payload"}'), PartitionKey: 'poison-1' },
            { Data: Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff]), PartitionKey: 'poison-2' },
          ],
        }),
      ),
      await world.kinesis.send(
        new PutRecordsCommand({
          StreamName: world.events.name,
          Records: [{ Data: Buffer.from('{"not":"a LogEvent"}\n'), PartitionKey: 'poison-3' }],
        }),
      ),
    ];
    expect(poison.map((p) => p.FailedRecordCount ?? 0)).toEqual([0, 0]);
    proxy.failPutRecords(world.events.name, 7, 60);
    let runner = run();
    await ship('p1');
    const poisonRecords = 3;
    phase('part 1 shipped; waiting for the first documents');
    await waitFor('first documents indexed', async () => (await docCount(url)) >= 300, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });

    // 2. SIGKILL runner A mid-flight; ship while no runner runs; runner B resumes from the checkpoint.
    phase('SIGKILL runner A');
    await kill(runner);
    await ship('p2');
    runner = run();
    await waitFor('part 2 arriving', async () => (await accounted(url, dlqFile)) >= 1.3 * SMALL_PER_PART, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });

    // 3. Index writes blocked for 8 s while part 3 arrives.
    phase('write block on');
    await writeBlock(url, true);
    await ship('p3');
    await new Promise((r) => setTimeout(r, 8_000));
    await writeBlock(url, false);
    phase('write block off');

    // 4. The node is killed (SIGKILL) while part 4 arrives; runner B is killed too; runner C starts
    //    while the node is down; the node restarts on its data.
    await waitFor('part 3 arriving', async () => (await accounted(url, dlqFile)) >= 2.3 * SMALL_PER_PART, {
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    phase('SIGKILL the node');
    process.kill(node!.pid, 'SIGKILL');
    const killedPort = Number(new URL(node!.url).port);
    forward.target = undefined;
    await waitFor('the node gone', async () => !(await portInUse(killedPort)), { timeoutMs: 30_000 });
    await node!.stop();
    node = undefined;
    await ship('p4');
    await new Promise((r) => setTimeout(r, 3_000));
    phase('SIGKILL runner B; runner C starts while the node is down');
    await kill(runner);
    runner = run();
    await ship('p5');
    // Restarted on its data; on whichever port is free now (the forwarder hides the change).
    node = await startOpenSearch({ basePath, clusterName, heapMb: 512, startTimeoutMs: 300_000 });
    forward.target = Number(new URL(node.url).port);
    phase('node restarted on its data');

    // 5. Wait until every event is either indexed, dropped, or dead-lettered; stop runner C cleanly.
    const expectedIndexed = written.filter((w) => !w.dropped).length;
    await waitFor(
      'every event indexed or dead-lettered',
      async () => {
        const count = await docCount(url);
        const letters = await deadLettered(dlqFile);
        return count + letters.tokens.size >= expectedIndexed ? true : undefined;
      },
      { timeoutMs: 240_000, intervalMs: 1000 },
    );
    runner.child.kill('SIGINT');
    expect(await runner.exited).toBe(0);
    phase('runner C stopped');

    const before = await deadLettered(dlqFile);
    const indexedBefore = new Set(await indexedTokens(url));

    // 6. The operator repairs the broken template (the sink's own component templates instead of
    //    the bad mappings) and rolls the data stream over so that its new write index has them;
    //    `sluice dlq replay` re-submits the dead letters.
    await osJson(`${url}/_index_template/${prefix}-refused-t`, 'PUT', {
      index_patterns: [`${prefix}-refused*`],
      data_stream: {},
      priority: 1000,
      composed_of: [`${prefix}-settings`, `${prefix}-mappings`],
      template: { settings: { number_of_replicas: 0 } },
    });
    await osJson(`${url}/${prefix}-refused/_rollover`, 'POST');
    const replay = spawn(
      process.execPath,
      ['bin/sluice.js', 'dlq', 'replay', dlqFile, '--node', url, '--prefix', prefix],
      { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let replayOut = '';
    replay.stdout?.on('data', (d: Buffer) => {
      replayOut += d.toString();
    });
    const replayExit = await new Promise<number | null>((r) => replay.on('exit', (code) => r(code)));
    phase(`dlq replay: ${replayOut.trim()} (exit ${replayExit})`);

    // 7. The accounts.
    const tokens = await indexedTokens(url);
    const unique = new Set(tokens);
    const after = await deadLettered(dlqFile);
    const dropped = written.filter((w) => w.dropped);
    const kept = written.filter((w) => !w.dropped);
    const missing = kept.filter((w) => !unique.has(w.token));
    const droppedButIndexed = dropped.filter((w) => unique.has(w.token));
    const replayed = kept.filter((w) => unique.has(w.token) && !indexedBefore.has(w.token));
    const allStderr = stderr.join('');
    const dropReasons = new Set<string>();
    for (const l of allStderr.split('\n')) {
      if (!l.startsWith('{')) continue;
      const reasons = (JSON.parse(l) as { dropReasons?: unknown }).dropReasons;
      if (typeof reasons === 'string')
        for (const k of Object.keys(JSON.parse(reasons) as object)) dropReasons.add(k);
    }
    const figures = {
      written: written.length,
      indexed: kept.length - missing.length - replayed.length,
      droppedByRule: { 'drop-health-checks': dropped.length - droppedButIndexed.length },
      deadLetteredAndReplayed: replayed.length,
      missing: missing.length,
      duplicates: tokens.length - unique.size,
      poisonRecords: { written: poisonRecords, deadLettered: before.other.size, keptInDlq: after.other.size },
      deadLettersByCode: before.byCode,
      lettersLeftWithAnEvent: after.tokens.size,
      putRecordsEntriesFailedOnPurpose: proxy.injected,
      runnerStarts: stderr.length,
      seconds: Math.round((Date.now() - started) / 1000),
    };
    console.log(`[matrix] figures ${JSON.stringify(figures, null, 2)}`);

    expect(proxy.injected).toBeGreaterThan(0);
    // The refused documents went the dead-letter way and came back by replay.
    expect(replayed.length).toBe((PARTS * SMALL_PER_PART) / 4 / 50);
    expect(allStderr).toContain('OpenSearch not reachable; waiting and retrying');
    expect([...dropReasons]).toEqual(['drop-health-checks']);
    expect(droppedButIndexed).toEqual([]);
    expect(missing.map((w) => w.token)).toEqual([]);
    expect(figures.duplicates).toBe(0);
    expect(figures.indexed + dropped.length + replayed.length).toBe(written.length);
    // Poison records are not events: they stay dead-lettered (for inspection), one letter each.
    expect(before.other.size).toBe(poisonRecords);
    expect([...after.tokens]).toEqual([]);
    expect(replayExit).toBe(0);
    // Nothing went to the runner's on-failure destination (retries never run out by default).
    expect(await readFile(failuresFile, 'utf8').catch(() => '')).toBe('');
  });
});
