import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type KinesisClient, PutRecordsCommand, type PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { PutRecordsClient } from '../../sinks/kinesis/writer.js';
import { uniqueSegment } from '../factories/log-events.js';
import { lettersIn, osJson, searchAll } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type OpenSearchNode, startOpenSearch } from '../services/opensearch.js';
import { type ComponentLine, component, createWorld, startPipeline, type World } from './kit.js';

const sfx = uniqueSegment('f');
const prefix = `sluice-logs-faults${sfx}`;
const groups = {
  api: `/aws/lambda/api-${sfx}`,
  worker: `/aws/lambda/worker-${sfx}`,
  conflict: `/ecs/conflict-${sfx}`,
};

/** Fails every third PutRecords entry of the first `calls` calls (fault injection on the real client). */
function partialFailures(client: KinesisClient, calls: number): PutRecordsClient & { injected: number } {
  let n = 0;
  const wrapper = {
    injected: 0,
    async send(
      command: PutRecordsCommand,
      options?: { abortSignal?: AbortSignal },
    ): Promise<PutRecordsCommandOutput> {
      const records = command.input.Records ?? [];
      const fail = records.map((_, i) => n < calls && i % 3 === 1);
      n++;
      const pass = records.filter((_, i) => !fail[i]);
      const real = pass.length
        ? await client.send(new PutRecordsCommand({ ...command.input, Records: pass }), options)
        : undefined;
      let j = 0;
      wrapper.injected += fail.filter(Boolean).length;
      return {
        $metadata: {},
        FailedRecordCount: fail.filter(Boolean).length,
        Records: records.map((_, i) =>
          fail[i]
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'injected' }
            : real!.Records![j++]!,
        ),
      };
    },
  };
  return wrapper;
}

function batch(label: string, count: number, clock: () => number): ComponentLine[] {
  const lines: ComponentLine[] = [];
  const api = component('api', groups.api, `${label}/api`, lines, clock);
  const worker = component('worker', groups.worker, `${label}/worker`, lines, clock);
  const conflict = component('conflict', groups.conflict, `${label}/conflict`, lines, clock);
  for (let i = 0; i < count; i++) {
    const tx = `tx-${label}-${i}`;
    api.logger.info({ transactionId: tx }, 'request in');
    worker.logger.info({ transactionId: tx, step: i }, 'working');
    if (i % 4 === 0) worker.logger.info({ path: '/health' }, 'health check');
    api.logger.info({ transactionId: tx }, 'request out');
  }
  // The conflict service's data stream maps `message` as a number (see beforeAll): a mapping conflict.
  conflict.logger.info({ transactionId: `tx-${label}-conflict` }, 'not a number');
  return lines;
}

describe('pipeline faults in one run: OpenSearch down and back, poison record, PutRecords partial failures, mapping conflict, runner restart', () => {
  let node: OpenSearchNode;
  /** The restarted node, kept so that teardown stops it even if the test times out while it starts. */
  let restarting: Promise<OpenSearchNode> | undefined;
  let url: string;
  let basePath: string;
  let world: World;

  beforeAll(async () => {
    basePath = await mkdtemp(join(tmpdir(), 'sluice-faults-os-'));
    node = await startOpenSearch({ basePath, heapMb: 384, startTimeoutMs: 300_000 });
    url = node.url;
    await osJson(`${url}/_index_template/${prefix}-conflict-t`, 'PUT', {
      index_patterns: [`${prefix}-conflict*`],
      data_stream: {},
      priority: 1000,
      template: {
        settings: { number_of_replicas: 0 },
        mappings: { properties: { '@timestamp': { type: 'date' }, message: { type: 'long' } } },
      },
    });
    world = await createWorld(inject('awsEndpoint'), Object.values(groups));
  });
  afterAll(async () => {
    await world?.dispose();
    await node?.stop();
    const restarted = await restarting?.catch(() => undefined);
    await restarted?.stop();
  });

  it('loses nothing and duplicates nothing', async () => {
    let t = Date.now() - 20 * 60_000;
    const clock = () => (t += 3);
    const dir = await mkdtemp(join(tmpdir(), 'sluice-faults-'));
    let injector: ReturnType<typeof partialFailures> | undefined;
    const start = () =>
      startPipeline({
        world,
        opensearchUrl: url,
        indexPrefix: prefix,
        dir,
        retryBudgetMs: 1000,
        wrapPut: (client) => {
          injector ??= partialFailures(client, 6);
          return injector;
        },
      });
    const sent: ComponentLine[] = [];
    const ship = async (lines: ComponentLine[]) => {
      sent.push(...lines);
      await world.ship(lines, 10);
    };
    const docCount = async () => (await searchAll(url, prefix)).length;

    let pipeline = await start();
    // A poison record straight into the raw stream, between good ones.
    await ship(batch('a', 20, clock));
    await world.kinesis.send(
      new PutRecordsCommand({
        StreamName: world.raw.name,
        Records: [{ Data: Buffer.from('{"not":"a gzip payload"}'), PartitionKey: 'poison' }],
      }),
    );
    await waitFor('first documents indexed', async () => (await docCount()) > 20, {
      timeoutMs: 60_000,
      intervalMs: 500,
    });

    // OpenSearch goes away mid-run; events keep coming.
    await node.stop();
    await ship(batch('b', 20, clock));
    await waitFor('the sink noticing the outage', () => pipeline.total('sink', 'notDelivered') > 0, {
      timeoutMs: 60_000,
    });

    // The runner is killed (in-flight work abandoned) and a new one starts from the checkpoint file.
    const abandoned = pipeline.stop();
    pipeline = await start();
    await ship(batch('c', 10, clock));

    // OpenSearch comes back on the same port with the same data.
    restarting = startOpenSearch({
      basePath,
      heapMb: 384,
      port: Number(new URL(url).port),
      startTimeoutMs: 300_000,
    });
    node = await restarting;
    await abandoned;

    const healthChecks = sent.filter((l) => l.message.includes('"/health"')).length;
    const settle = async () => {
      const docs = await searchAll(url, prefix).catch(() => []);
      const letters = await lettersIn(pipeline.deadLetterFile).catch(() => []);
      const eventLetters = new Set(letters.filter((l) => l.stage !== 'ingest').map((l) => l.id));
      return docs.length + healthChecks + eventLetters.size >= sent.length ? { docs, letters } : undefined;
    };
    const { docs, letters } = await waitFor('every event indexed, dropped or dead-lettered', settle, {
      timeoutMs: 300_000,
      intervalMs: 1000,
    });
    await pipeline.stop();

    // No duplicates: one document per CloudWatch event, and exactly the expected ones.
    const ids = docs.map((d) => (d.source['event'] as { id: string }).id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
    const eventLetters = letters.filter((l) => l.stage !== 'ingest');
    expect(docs.length + healthChecks + new Set(eventLetters.map((l) => l.id)).size).toBe(sent.length);

    // The poison record was dead-lettered by the transform stage (not lost, not blocking).
    const poison = letters.filter((l) => l.stage === 'ingest');
    expect(poison.length).toBeGreaterThanOrEqual(1);
    expect(poison[0]!.original).toEqual({ data: Buffer.from('{"not":"a gzip payload"}').toString('base64') });

    // Injected PutRecords failures were retried: every kept event of every batch arrived.
    expect(injector?.injected ?? 0).toBeGreaterThan(0);
    for (const label of ['a', 'b', 'c']) {
      const hits = await searchAll(url, prefix, { term: { 'transaction.id': `tx-${label}-1` } });
      expect(hits.map((h) => h.source['message']).sort()).toEqual(['request in', 'request out', 'working']);
    }

    // The mapping conflict: each conflicting event is either indexed with the field quarantined or dead-lettered.
    const conflicts = sent.filter((l) => l.group === groups.conflict).length;
    const conflictDocs = docs.filter((d) => (d.source['service'] as { name: string }).name === 'conflict');
    const conflictLetters = new Set(eventLetters.filter((l) => l.stage === 'sink').map((l) => l.id));
    expect(conflictDocs.length + conflictLetters.size).toBe(conflicts);
    for (const d of conflictDocs)
      expect(d.source['quarantine_fields']).toEqual(expect.arrayContaining(['message']));
    // Restarting a JVM on 2 shared cores dominates the runtime: allow for a loaded machine.
  }, 480_000);
});
