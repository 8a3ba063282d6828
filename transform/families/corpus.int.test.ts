import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createFileDeadLetterStore } from '../../sinks/dead-letters/file-store.js';
import { QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from '../../sinks/opensearch/heal.js';
import { createOpenSearchSink, type OpenSearchSink } from '../../sinks/opensearch/sink.js';
import { makeEnvelope } from '../../test/factories/cwl.js';
import { uniqueSegment } from '../../test/factories/log-events.js';
import { dropPrefix, searchAll } from '../../test/factories/opensearch.js';
import { compileNormalizer } from '../normalize.js';
import { CORPUS } from './corpus.js';

// Every family's real samples, normalised and indexed into the shared real node under a unique
// prefix: the strict mappings take every field the families fill (span.id included) as it is.
const node = inject('opensearchUrl');
const prefix = `sluice-logs-${uniqueSegment('families')}`;
let dir: string;
let sink: OpenSearchSink;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'sluice-families-it-'));
  sink = createOpenSearchSink({
    node,
    indexPrefix: prefix,
    config: { replicas: 0, retry_budget_ms: 5_000 },
    deadLetters: createFileDeadLetterStore(path.join(dir, 'dead-letters.ndjson')),
  });
  await sink.setup();
});
afterAll(async () => {
  await sink?.close();
  await dropPrefix(node, prefix);
  await rm(dir, { recursive: true, force: true });
});

describe('family corpus into OpenSearch', () => {
  it('indexes every sample without quarantining a field, and span.id is searchable', async () => {
    const lines = CORPUS.flatMap((c) => c.samples.map((s) => s.line));
    const events = compileNormalizer().envelope(makeEnvelope(lines, { logGroup: '/aws/lambda/families' }));
    const report = await sink.write(events);
    expect(report.counts).toEqual({
      indexed: lines.length,
      duplicate: 0,
      dead_lettered: 0,
      not_delivered: 0,
    });
    const docs = await searchAll(node, prefix);
    expect(docs).toHaveLength(lines.length);
    for (const d of docs) {
      expect(d.source[QUARANTINE_KEY]).toBeUndefined();
      expect(d.source[QUARANTINE_FIELDS_KEY]).toBeUndefined();
    }
    const spans = await searchAll(node, prefix, { term: { 'span.id': 'eee19b7ec3c1b174' } });
    // the proto example's record, alone and inside its resourceLogs export
    expect(spans.map((h) => h.source['message'])).toEqual(['Example log record', 'Example log record']);
  });
});
