import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { eventJsonSchema, renderEventSchemaMarkdown, schemaFields } from './schema-docs.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');

describe('docs/event-schema', () => {
  it('describes every field of the schema', () => {
    const undocumented = schemaFields()
      .filter((f) => !f.description)
      .map((f) => f.path);
    expect(undocumented).toEqual([]);
  });

  it('lists the contract fields of the architecture doc', () => {
    const paths = schemaFields().map((f) => f.path);
    for (const p of [
      '@timestamp',
      'message',
      'log.level',
      'service.name',
      'transaction.id',
      'trace.id',
      'event.id',
      'event.ingested',
      'aws.cloudwatch.log_group',
      'aws.cloudwatch.log_stream',
      'cloud.account.id',
      'cloud.region',
      'faas.execution',
      'error.type',
      'error.message',
      'error.stack_trace',
      'attributes',
    ]) {
      expect(paths).toContain(p);
    }
  });

  it('docs/event-schema.md is up to date (run `npm run docs:schema`)', async () => {
    expect(await readFile(path.join(docs, 'event-schema.md'), 'utf8')).toBe(renderEventSchemaMarkdown());
  });

  it('docs/event-schema.json is up to date (run `npm run docs:schema`)', async () => {
    expect(JSON.parse(await readFile(path.join(docs, 'event-schema.json'), 'utf8'))).toEqual(
      eventJsonSchema(),
    );
  });
});
