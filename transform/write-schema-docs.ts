// `npm run docs:schema`: writes docs/event-schema.md and docs/event-schema.json from the zod schema.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eventJsonSchema, renderEventSchemaMarkdown } from './schema-docs.js';

const docs = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs');
await writeFile(path.join(docs, 'event-schema.md'), renderEventSchemaMarkdown());
await writeFile(path.join(docs, 'event-schema.json'), `${JSON.stringify(eventJsonSchema(), null, 2)}\n`);
process.stdout.write('wrote docs/event-schema.md and docs/event-schema.json\n');
