import type { PutRecordsCommand, PutRecordsCommandOutput } from '@aws-sdk/client-kinesis';
import { describe, expect, it } from 'vitest';
import { putAllRecords } from './put-all.js';
import type { PutRecordsClient } from './writer.js';

const entry = (n: number) => ({ data: new TextEncoder().encode(`r${n}`), partitionKey: `k${n}` });
const keysOf = (cmd: PutRecordsCommand) => (cmd.input.Records ?? []).map((r) => r.PartitionKey);

/** A client that answers each request with the next scripted reply (refused keys, or an error to throw). */
function scripted(replies: Array<{ refuse?: string[]; throwName?: string }>) {
  const sent: Array<Array<string | undefined>> = [];
  const client: PutRecordsClient = {
    async send(cmd) {
      const keys = keysOf(cmd);
      sent.push(keys);
      const reply = replies.shift() ?? {};
      if (reply.throwName) throw Object.assign(new Error('refused'), { name: reply.throwName });
      return {
        Records: keys.map((k) =>
          reply.refuse?.includes(k ?? '')
            ? { ErrorCode: 'ProvisionedThroughputExceededException', ErrorMessage: 'slow down' }
            : { SequenceNumber: '1', ShardId: 's' },
        ),
        $metadata: {},
      } as PutRecordsCommandOutput;
    },
  };
  return { client, sent };
}

const noWait = { random: () => 0 };

describe('putAllRecords', () => {
  it('re-sends exactly the entries PutRecords refused until all are accepted', async () => {
    const { client, sent } = scripted([{ refuse: ['k1', 'k3'] }, { refuse: ['k3'] }, {}]);
    const failure = await putAllRecords(client, 's', [0, 1, 2, 3].map(entry), noWait);
    expect(failure).toBeUndefined();
    expect(sent).toEqual([['k0', 'k1', 'k2', 'k3'], ['k1', 'k3'], ['k3']]);
  });

  it('retries the whole remainder after a transient thrown error', async () => {
    const { client, sent } = scripted([{ throwName: 'InternalFailure' }, {}]);
    expect(await putAllRecords(client, 's', [entry(0), entry(1)], noWait)).toBeUndefined();
    expect(sent).toHaveLength(2);
  });

  it('gives up at once on an error a retry cannot fix', async () => {
    const { client, sent } = scripted([{ throwName: 'ResourceNotFoundException' }]);
    const failure = await putAllRecords(client, 's', [entry(0)], noWait);
    expect(failure).toMatchObject({ kind: 'fatal', name: 'ResourceNotFoundException' });
    expect(sent).toHaveLength(1);
  });

  it('reports how many entries were still refused after maxAttempts rounds, with the last error', async () => {
    const { client, sent } = scripted([{ refuse: ['k0', 'k1'] }, { refuse: ['k1'] }, { refuse: ['k1'] }]);
    const failure = await putAllRecords(client, 's', [entry(0), entry(1)], { ...noWait, maxAttempts: 3 });
    expect(failure).toEqual({
      kind: 'exhausted',
      left: 1,
      rounds: 3,
      lastError: 'ProvisionedThroughputExceededException',
    });
    expect(sent).toHaveLength(3);
  });

  it('counts each request through onRequest', async () => {
    const { client } = scripted([{ refuse: ['k0'] }, {}]);
    let requests = 0;
    await putAllRecords(client, 's', [entry(0)], { ...noWait, onRequest: () => requests++ });
    expect(requests).toBe(2);
  });
});
