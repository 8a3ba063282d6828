import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';

/** Options of {@link createOpenSearchClient}. */
export interface OpenSearchClientOptions {
  /** Endpoint, e.g. `https://search-logs-abc.eu-west-1.es.amazonaws.com` or `http://127.0.0.1:9201`. */
  node: string;
  /** Sign requests with SigV4 for Amazon OpenSearch Service (`es`) or Serverless (`aoss`). */
  aws?: { region: string; service: 'es' | 'aoss' };
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
}

/**
 * A client for the sink. With `aws`, requests are signed by the client's own `AwsSigv4Signer`
 * with credentials from the AWS SDK's default provider chain (env, SSO, shared files, web
 * identity, ECS/EC2 metadata — in Lambda, the function's role). The client does no retries of
 * its own (`maxRetries: 0`): the sink's loop owns retries, backoff and the retry budget.
 */
export function createOpenSearchClient(opts: OpenSearchClientOptions): Client {
  const base = { node: opts.node, maxRetries: 0, requestTimeout: opts.requestTimeoutMs ?? 30_000 };
  if (!opts.aws) return new Client(base);
  const credentials = defaultProvider();
  return new Client({
    ...AwsSigv4Signer({
      region: opts.aws.region,
      service: opts.aws.service,
      getCredentials: () => credentials(),
    }),
    ...base,
  });
}
