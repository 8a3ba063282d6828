import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { describeValue } from '../core/errors.js';
import { LambdaSecretsError } from './errors.js';

const SecretsSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/), z.string().min(1));

/**
 * Reads the named HMAC keys for hash redaction from a Secrets Manager secret whose value is a
 * JSON object of strings (`{"REDACT_KEY": "…"}`). Throws {@link LambdaSecretsError} naming
 * what was wrong, never the secret's content.
 */
export async function loadSecrets(
  client: SecretsManagerClient,
  secretArn: string,
): Promise<Record<string, string>> {
  let text: string | undefined;
  try {
    text = (await client.send(new GetSecretValueCommand({ SecretId: secretArn }))).SecretString;
  } catch (err) {
    throw new LambdaSecretsError(
      `could not read the secret of SLUICE_SECRETS_ARN (${(err as Error).name}); expected a readable secret`,
      { cause: err },
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(text ?? '');
  } catch {
    throw new LambdaSecretsError(
      `the secret of SLUICE_SECRETS_ARN is ${describeValue(text ?? null)} that is not JSON; expected a JSON object of named keys`,
    );
  }
  const parsed = SecretsSchema.safeParse(value);
  if (!parsed.success) {
    throw new LambdaSecretsError(
      `the secret of SLUICE_SECRETS_ARN is ${describeValue(value)}; expected a JSON object whose keys are names (A-Z, 0-9, _) and whose values are non-empty strings`,
    );
  }
  return parsed.data;
}
