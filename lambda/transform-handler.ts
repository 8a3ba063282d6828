/**
 * Composition root of the transform Lambda (raw stream → events stream). Configuration comes
 * from environment variables (see `config.ts`), validated once per cold start; a bad
 * configuration fails every invocation with a {@link LambdaConfigError} listing each problem.
 */
import { resolve } from 'node:path';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { KinesisStreamHandler } from 'aws-lambda';
import pino from 'pino';
import { loadRuleFile } from '../filters/parse.js';
import { createKinesisClient } from '../sinks/kinesis/client.js';
import { loadTransformConfig } from './config.js';
import { openDeadLetterStore } from './dead-letter-target.js';
import { loadSecrets } from './secrets.js';
import type { TransformHandler } from './transform.js';
import { buildTransformHandler } from './wiring.js';

async function init(env: NodeJS.ProcessEnv): Promise<TransformHandler> {
  const config = loadTransformConfig(env);
  const secrets = config.secretsArn
    ? await loadSecrets(new SecretsManagerClient({ region: config.region }), config.secretsArn)
    : undefined;
  const rules = config.rulesFile ? await loadRuleFile(resolve(config.rulesFile)) : undefined;
  return buildTransformHandler({
    region: config.region,
    metricsNamespace: config.metricsNamespace,
    log: pino({ level: config.logLevel, base: { stage: 'transform' } }),
    deadLetters: openDeadLetterStore(config.deadLetters, config.region),
    kinesis: createKinesisClient({ region: config.region }),
    eventsStream: config.eventsStream,
    rules,
    secrets,
    transactionIdFields: config.transactionIdFields,
    partitionBuckets: config.partitionBuckets,
    compression: config.compression,
  });
}

const ready = init(process.env);
// Surfaced by the first invocation (Lambda logs it); not an unhandled rejection at import.
ready.catch(() => undefined);

/** The transform Lambda handler (event source: the raw Kinesis stream, ReportBatchItemFailures on). */
export const handler: KinesisStreamHandler = async (event) => (await ready)(event);
