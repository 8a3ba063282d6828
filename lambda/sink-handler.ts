/**
 * Composition root of the sink Lambda (events stream → OpenSearch + dead letters).
 * Configuration comes from environment variables (see `config.ts`), validated once per cold
 * start; a bad configuration fails every invocation with a {@link LambdaConfigError}.
 */
import type { KinesisStreamHandler } from 'aws-lambda';
import pino from 'pino';
import { createOpenSearchClient } from '../sinks/opensearch/client.js';
import { loadSinkConfig } from './config.js';
import { openDeadLetterStore } from './dead-letter-target.js';
import type { SinkHandler } from './sink.js';
import { buildSinkHandler } from './wiring.js';

async function init(env: NodeJS.ProcessEnv): Promise<SinkHandler> {
  const config = loadSinkConfig(env);
  const local = config.opensearch.endpoint.startsWith('http://');
  const { handler } = buildSinkHandler({
    region: config.region,
    metricsNamespace: config.metricsNamespace,
    log: pino({ level: config.logLevel, base: { stage: 'sink' } }),
    deadLetters: openDeadLetterStore(config.deadLetters, config.region),
    opensearch: createOpenSearchClient({
      node: config.opensearch.endpoint,
      ...(local ? {} : { aws: { region: config.region, service: config.opensearch.service } }),
    }),
    indexPrefix: config.indexPrefix,
    retryBudgetMs: config.retryBudgetMs,
    indexLifecycle: config.indexLifecycle,
  });
  return handler;
}

const ready = init(process.env);
ready.catch(() => undefined);

/** The sink Lambda handler (event source: the events Kinesis stream, ReportBatchItemFailures on). */
export const handler: KinesisStreamHandler = async (event, context) => (await ready)(event, context);
