import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createKinesisClient } from '../../sinks/kinesis/client.js';
import { startInProcess } from '../../test/e2e/start-local.js';
import { createTestStream, motoConfig, uniqueName } from '../../test/factories/aws.js';
import { encodeCwlData } from '../../test/factories/cwl.js';
import type { LogEvent } from '../../transform/schema.js';
import type { RunningStart } from '../start.js';

// `sluice start --kinesis STREAM --kinesis-endpoint <moto>`: records of a real (emulated) stream
// go through the same pipeline into the embedded store.
describe('the Kinesis source on the moto emulator', () => {
  const endpoint = inject('awsEndpoint');
  const client = createKinesisClient(motoConfig(endpoint));
  let stream: Awaited<ReturnType<typeof createTestStream>>;
  let dir: string;
  let app: RunningStart;

  beforeAll(async () => {
    stream = await createTestStream(client, uniqueName('sluice-start'));
    dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-start-kinesis-'));
    app = await startInProcess(dir, {
      sources: { demo: { enabled: false }, http: false, kinesis: { stream_name: stream.name, endpoint } },
    });
  });
  afterAll(async () => {
    await app?.stop();
    await stream?.dispose();
    client.destroy();
    await rm(dir, { recursive: true, force: true });
  });

  it('indexes CloudWatch Logs records from the stream and dead-letters a corrupt one', async () => {
    const envelope = {
      messageType: 'DATA_MESSAGE',
      owner: '123456789012',
      logGroup: '/aws/lambda/shipping',
      logStream: '2026/01/01/[$LATEST]k1',
      subscriptionFilters: ['sluice'],
      logEvents: [
        {
          id: 'k-1',
          timestamp: Date.now(),
          message: '{"level":"info","message":"parcel booked","transaction_id":"tx-k"}',
        },
        {
          id: 'k-2',
          timestamp: Date.now() + 1,
          message: '{"level":"error","message":"label printer offline","transaction_id":"tx-k"}',
        },
      ],
    };
    await client.send(
      new PutRecordsCommand({
        StreamName: stream.name,
        Records: [
          { PartitionKey: 'a', Data: Buffer.from(encodeCwlData(envelope), 'base64') },
          { PartitionKey: 'b', Data: Buffer.from('not gzip at all') },
        ],
      }),
    );
    let events: readonly LogEvent[] = [];
    for (let i = 0; i < 60 && events.length < 2; i++) {
      await new Promise((r) => setTimeout(r, 500));
      events = (await app.search.trace('tx-k')).events;
    }
    expect(events.map((e) => e.message)).toEqual(['parcel booked', 'label printer offline']);
    expect(events[0]?.service.name).toBe('shipping');
    expect(app.pipeline.stats().deadLetteredByStage.ingest).toBe(1);
  });
});
