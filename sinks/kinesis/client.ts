import { KinesisClient, type KinesisClientConfig } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/**
 * A `KinesisClient` over HTTP/1.1. The SDK's default Kinesis handler speaks HTTP/2 (for
 * `SubscribeToShard`), which Sluice never uses and which the moto emulator does not speak;
 * HTTP/1.1 works against both moto and AWS. Pass `endpoint` for an emulator; otherwise the
 * default credential chain and region apply.
 */
export function createKinesisClient(config: Omit<KinesisClientConfig, 'requestHandler'> = {}): KinesisClient {
  return new KinesisClient({
    ...config,
    requestHandler: new NodeHttpHandler({ connectionTimeout: 5000, requestTimeout: 30_000 }),
  });
}
