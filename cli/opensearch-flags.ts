import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@opensearch-project/opensearch';
import { createOpenSearchClient } from '../sinks/opensearch/client.js';
import { type CommandIo, UsageError } from './command.js';

/** The OpenSearch options commands share: `--node`, `--aws-region`, `--service`. */
export interface OpenSearchFlags {
  readonly node?: string | undefined;
  readonly 'aws-region'?: string | undefined;
  readonly service?: string | undefined;
  readonly 'ca-cert'?: string | undefined;
}

/** `parseArgs` options of {@link OpenSearchFlags}. */
export const OPENSEARCH_OPTIONS = {
  node: { type: 'string' },
  'aws-region': { type: 'string' },
  service: { type: 'string' },
  'ca-cert': { type: 'string' },
} as const;

/** Help lines of {@link OpenSearchFlags}. */
export const OPENSEARCH_HELP = [
  '  --node URL           OpenSearch endpoint (default $SLUICE_OPENSEARCH_ENDPOINT, else http://127.0.0.1:9201)',
  '  --aws-region REGION  sign requests with SigV4 (default credential chain); default $AWS_REGION when',
  '                       the node is an *.amazonaws.com endpoint',
  '  --service es|aoss    Amazon OpenSearch Service (es, default) or Serverless (aoss)',
  '  --ca-cert FILE       PEM of a CA to trust for an https node (a self-managed cluster)',
  '  A self-managed cluster with the security plugin takes HTTP basic authentication from',
  '  $SLUICE_OPENSEARCH_USERNAME and $SLUICE_OPENSEARCH_PASSWORD (never from flags).',
];

function readCa(file: string, cwd: string): string {
  let pem: string;
  try {
    pem = readFileSync(path.resolve(cwd, file), 'utf8');
  } catch (err) {
    throw new UsageError(
      `--ca-cert: cannot read '${file}' (${(err as NodeJS.ErrnoException).code ?? 'error'}); expected a PEM certificate file`,
    );
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) {
    throw new UsageError(`--ca-cert: '${file}' holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
  }
  return pem;
}

/** Basic-auth credentials from the environment: both variables or neither. */
function basicAuthFromEnv(env: NodeJS.ProcessEnv): { username: string; password: string } | undefined {
  const username = env['SLUICE_OPENSEARCH_USERNAME'];
  const password = env['SLUICE_OPENSEARCH_PASSWORD'];
  if (!username && !password) return undefined;
  if (!username || !password) {
    throw new UsageError(
      'set both SLUICE_OPENSEARCH_USERNAME and SLUICE_OPENSEARCH_PASSWORD for basic authentication, or neither',
    );
  }
  return { username, password };
}

/**
 * The OpenSearch client of a command's flags. Requests to an `*.amazonaws.com` node are signed
 * with SigV4 in `$AWS_REGION` unless `--aws-region` names another; any other node is unsigned,
 * or uses basic authentication from `$SLUICE_OPENSEARCH_USERNAME`/`$SLUICE_OPENSEARCH_PASSWORD`.
 */
export function openSearchClientFromFlags(
  v: OpenSearchFlags,
  io: Pick<CommandIo, 'env' | 'cwd'>,
): { node: string; client: Client } {
  const service = v.service ?? 'es';
  if (service !== 'es' && service !== 'aoss')
    throw new UsageError(`--service must be es or aoss, got '${service}'`);
  const node = v.node ?? io.env['SLUICE_OPENSEARCH_ENDPOINT'] ?? 'http://127.0.0.1:9201';
  let hostname: string;
  try {
    hostname = new URL(node).hostname;
  } catch {
    throw new UsageError(
      `--node must be a URL such as https://search-x.eu-west-1.es.amazonaws.com, got '${node}'`,
    );
  }
  const region = v['aws-region'] ?? (hostname.endsWith('.amazonaws.com') ? io.env['AWS_REGION'] : undefined);
  const basicAuth = basicAuthFromEnv(io.env);
  if (basicAuth && region) {
    throw new UsageError(
      'SLUICE_OPENSEARCH_USERNAME/PASSWORD (basic authentication) and SigV4 signing (--aws-region, or an *.amazonaws.com node) exclude each other',
    );
  }
  const caCert = v['ca-cert'] === undefined ? undefined : readCa(v['ca-cert'], io.cwd);
  return {
    node,
    client: createOpenSearchClient({
      node,
      aws: region ? { region, service } : undefined,
      basicAuth,
      caCert,
    }),
  };
}
