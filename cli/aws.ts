import type { CommandIo } from './command.js';

/** SDK client settings of a command's `--region` and `--endpoint` options. */
export interface AwsClientSettings {
  readonly region: string;
  readonly endpoint?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

/**
 * The SDK client settings for `--region` (default `$AWS_REGION`, else us-east-1) and `--endpoint`
 * (e.g. moto). With an endpoint and no credentials in the environment, static local credentials
 * are used (an emulator accepts any); otherwise the default credential chain applies.
 */
export function awsClientSettings(
  values: { readonly region?: string | undefined; readonly endpoint?: string | undefined },
  io: Pick<CommandIo, 'env'>,
): AwsClientSettings {
  const region = values.region ?? io.env['AWS_REGION'] ?? 'us-east-1';
  const endpoint = values.endpoint;
  if (!endpoint) return { region };
  return io.env['AWS_ACCESS_KEY_ID']
    ? { region, endpoint }
    : { region, endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
}
