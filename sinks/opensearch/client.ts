import tls from 'node:tls';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { Client } from '@opensearch-project/opensearch';
import { AwsSigv4Signer } from '@opensearch-project/opensearch/aws-v3';
import { OPENSEARCH_ERROR_CODES, OpenSearchSinkError } from './errors.js';

/** Options of {@link createOpenSearchClient}. */
export interface OpenSearchClientOptions {
  /** Endpoint, e.g. `https://search-logs-abc.eu-west-1.es.amazonaws.com` or `http://127.0.0.1:9201`. */
  node: string;
  /** Sign requests with SigV4 for Amazon OpenSearch Service (`es`) or Serverless (`aoss`). */
  aws?: { region: string; service: 'es' | 'aoss' };
  /** Per-request timeout (default 30 s). */
  requestTimeoutMs?: number;
  /** HTTP basic authentication (a self-managed cluster's internal users); not with `aws`. */
  basicAuth?: { username: string; password: string };
  /** PEM of the CA(s) to trust for an `https` node besides the system's (e.g. a private CA). */
  caCert?: string;
}

/**
 * A client for the sink. With `aws`, requests are signed by the client's own `AwsSigv4Signer`
 * with credentials from the AWS SDK's default provider chain (env, SSO, shared files, web
 * identity, ECS/EC2 metadata — in Lambda, the function's role). The client does no retries of
 * its own (`maxRetries: 0`): the sink's loop owns retries, backoff and the retry budget.
 */
export function createOpenSearchClient(opts: OpenSearchClientOptions): Client {
  const base = {
    node: opts.node,
    maxRetries: 0,
    requestTimeout: opts.requestTimeoutMs ?? 30_000,
    ...(opts.basicAuth ? { auth: opts.basicAuth } : {}),
    ...(opts.caCert ? { ssl: { ca: [...tls.rootCertificates, opts.caCert] } } : {}),
  };
  if (!opts.aws) return new Client(base);
  if (opts.basicAuth) {
    throw new OpenSearchSinkError(
      OPENSEARCH_ERROR_CODES.config,
      'basic authentication and SigV4 signing exclude each other; give one of basicAuth or aws',
    );
  }
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
