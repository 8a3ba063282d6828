import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { readAllRecords } from '../factories/aws.js';
import { uniqueSegment } from '../factories/log-events.js';
import { dropPrefix, searchAll } from '../factories/opensearch.js';
import { waitFor } from '../factories/wait.js';
import { type ComponentLine, component, createWorld, startPipeline, type World } from './kit.js';

const sfx = uniqueSegment('p');
const prefix = `sluice-logs-e2e${sfx}`;
const groups = {
  orders: `/aws/lambda/orders-${sfx}`,
  payments: `/aws/lambda/payments-${sfx}`,
  shipping: `/ecs/shipping-${sfx}`,
};
const CARD = '4111 1111 1111 1111';
const EMAIL = 'alice@example.com';

/** Three components logging through pino: transactions across services, errors, PII, platform lines. */
function generate(): { lines: ComponentLine[]; transactions: string[] } {
  const lines: ComponentLine[] = [];
  let t = Date.now() - 10 * 60_000;
  const clock = () => (t += 7);
  const orders = component('orders', groups.orders, '2024/05/01/[$LATEST]a1', lines, clock);
  const payments = component('payments', groups.payments, '2024/05/01/[$LATEST]b1', lines, clock);
  const shipping = component('shipping', groups.shipping, 'shipping/task/1', lines, clock);
  const transactions: string[] = [];
  for (let i = 0; i < 30; i++) {
    const tx = `tx-${sfx}-${i}`;
    transactions.push(tx);
    const req = `req-${i}`;
    orders.raw(`START RequestId: ${req} Version: $LATEST`);
    orders.logger.info({ transactionId: tx, orderId: i, customer: { email: EMAIL } }, 'order received');
    payments.logger.info({ transactionId: tx, card: CARD }, `charging card ${CARD}`);
    if (i % 5 === 0) {
      payments.logger.error({ transactionId: tx, err: new TypeError('card declined') }, 'payment failed');
    } else {
      payments.logger.info({ transactionId: tx, password: 'hunter2' }, 'payment captured');
      shipping.logger.info({ transactionId: tx, parcel: `P${i}` }, 'parcel scheduled');
    }
    orders.logger.info({ transactionId: tx }, 'order done');
    orders.raw(`END RequestId: ${req}`);
    orders.raw(
      `REPORT RequestId: ${req}\tDuration: 12.34 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 64 MB`,
    );
    if (i % 3 === 0) shipping.logger.info({ path: '/health', status: 200 }, 'health check');
  }
  return { lines, transactions };
}

describe('pipeline end to end: pino → CloudWatch Logs (moto) → raw → transform → events → sink → OpenSearch', () => {
  const opensearchUrl = inject('opensearchUrl');
  let world: World;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  const { lines, transactions } = generate();

  beforeAll(async () => {
    world = await createWorld(inject('awsEndpoint'), Object.values(groups));
    pipeline = await startPipeline({ world, opensearchUrl, indexPrefix: prefix });
  });
  afterAll(async () => {
    await pipeline?.stop();
    await world?.dispose();
    await dropPrefix(opensearchUrl, prefix);
  });

  it('indexes whole transactions in time order, redacted, and every event is accounted for', async () => {
    const sent = lines.length;
    await world.ship(lines);
    const dropped = () => pipeline.total('transform', 'droppedByRule');
    const settled = async () => {
      const indexed = pipeline.total('sink', 'indexed');
      const dead = pipeline.total('transform', 'deadLettered') + pipeline.total('sink', 'deadLettered');
      if (process.env['E2E_DEBUG']) {
        const names = [
          'received',
          'events',
          'droppedByRule',
          'forwarded',
          'deadLettered',
          'notDelivered',
          'indexed',
          'duplicates',
        ];
        console.log(
          sent,
          JSON.stringify(
            Object.fromEntries(
              ['transform', 'sink'].map((st) => [
                st,
                Object.fromEntries(names.map((n) => [n, pipeline.total(st as 'sink', n)])),
              ]),
            ),
          ),
          JSON.stringify(pipeline.transformRunner.stats),
          JSON.stringify(pipeline.sinkRunner.stats),
        );
      }
      return indexed + dropped() + dead >= sent ? { indexed, dead } : undefined;
    };
    const { dead } = await waitFor('every event indexed, dropped or dead-lettered', settled, {
      timeoutMs: 90_000,
      intervalMs: 2000,
    });

    // moto really wrote gzip DATA_MESSAGEs into the raw stream (read them back raw) …
    const raw = await readAllRecords(world.kinesis, world.raw.name);
    expect(raw.length).toBeGreaterThan(0);
    for (const r of raw) {
      const payload = JSON.parse(gunzipSync(r.data).toString('utf8')) as {
        messageType: string;
        logGroup: string;
      };
      expect(payload.messageType).toBe('DATA_MESSAGE');
      expect(Object.values(groups)).toContain(payload.logGroup);
    }
    // … and the transform decoded every one of them: no event dead-lettered.
    expect(pipeline.total('transform', 'received')).toBeGreaterThan(0);
    expect(pipeline.total('transform', 'events')).toBe(sent);
    expect(dead).toBe(0);
    expect(pipeline.total('sink', 'notDelivered')).toBe(0);

    const docs = await searchAll(opensearchUrl, prefix);
    const healthChecks = lines.filter((l) => l.message.includes('"/health"')).length;
    expect(dropped()).toBe(healthChecks);
    // sent = indexed + dropped by rule + dead-lettered, and the index holds exactly the indexed ones
    expect(docs.length + dropped() + dead).toBe(sent);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);

    const text = JSON.stringify(docs);
    expect(text).not.toContain(CARD);
    expect(text).not.toContain(EMAIL);
    expect(text).not.toContain('hunter2');

    for (const [i, tx] of transactions.entries()) {
      const hits = await searchAll(opensearchUrl, prefix, { term: { 'transaction.id': tx } });
      const sorted = [...hits].sort((a, b) =>
        String(a.source['@timestamp']).localeCompare(String(b.source['@timestamp'])),
      );
      const messages = sorted.map((h) => h.source['message']);
      expect(messages[0]).toBe('order received');
      expect(messages.at(-1)).toBe('order done');
      expect(new Set(sorted.map((h) => (h.source['service'] as { name: string }).name))).toEqual(
        new Set(i % 5 === 0 ? ['orders', 'payments'] : ['orders', 'payments', 'shipping']),
      );
      expect(hits).toHaveLength(i % 5 === 0 ? 4 : 5);
      const charging = sorted.find((h) => String(h.source['message']).startsWith('charging card'))!;
      expect(charging.source['redaction']).toEqual({
        rules: expect.arrayContaining(['default/payment-card']),
      });
      if (i % 5 === 0) {
        const failed = sorted.find((h) => h.source['message'] === 'payment failed')!;
        expect(failed.source['log']).toMatchObject({ level: 'error' });
        expect(failed.source['error']).toMatchObject({ type: 'TypeError', message: 'card declined' });
      }
    }

    const reports = await searchAll(opensearchUrl, prefix, { term: { 'lambda.platform': 'report' } });
    expect(reports).toHaveLength(transactions.length);
    expect(reports[0]!.source['lambda']).toMatchObject({
      report: { duration_ms: 12.34, billed_duration_ms: 13, memory_size_mb: 128, max_memory_used_mb: 64 },
    });
    const dlq = await readFile(pipeline.deadLetterFile, 'utf8').catch(() => '');
    expect(dlq).toBe('');
  });
});
