import type { JsonFamily } from './family.js';

const isRec = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * ECS-format loggers (Elastic's ecs-logging family: ecs-pino-format, ecs-winston-format,
 * ecs-logging-python, log4j2 `EcsLayout` and JsonTemplateLayout's default ECS template, logback
 * ECS encoder…). Fields are written as dotted top-level keys (`"log.level"`) or nested objects
 * (`{"log":{"logger"}}`); both are read. The record's own `log.level` is always the level, also
 * when it carries an error.
 */
export const ecs: JsonFamily = {
  title: 'ECS loggers (ecs-logging-*, log4j2 EcsLayout / JsonTemplateLayout ECS template)',
  markers: ['log.level', 'ecs.version', 'ecs'],
  match: (o) =>
    typeof o['log.level'] === 'string' ||
    typeof o['ecs.version'] === 'string' ||
    (isRec(o['ecs']) && typeof o['ecs']['version'] === 'string'),
  recognisedBy: 'a top-level `"log.level"` or `"ecs.version"` key, or `ecs.version` nested',
  mapping: {
    format: 'ecs',
    fields: [
      { role: 'time', path: '@timestamp' },
      { role: 'level', path: 'log.level' },
      { role: 'level', path: ['log', 'level'] },
      { role: 'message', path: 'message' },
      { role: 'logger', path: 'log.logger' },
      { role: 'logger', path: ['log', 'logger'] },
      { role: 'service', path: 'service.name' },
      { role: 'service', path: ['service', 'name'] },
      { role: 'transaction', path: 'transaction.id' },
      { role: 'transaction', path: ['transaction', 'id'] },
      { role: 'trace', path: 'trace.id' },
      { role: 'trace', path: ['trace', 'id'] },
      { role: 'span', path: 'span.id' },
      { role: 'span', path: ['span', 'id'] },
      { role: 'execution', path: 'faas.execution' },
      { role: 'execution', path: ['faas', 'execution'] },
      { role: 'error', path: 'error' },
      { role: 'errorType', path: 'error.type' },
      { role: 'errorMessage', path: 'error.message' },
      { role: 'stack', path: 'error.stack_trace' },
    ],
  },
};
