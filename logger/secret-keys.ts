/**
 * Key names whose values are secrets wherever they appear. Provisional copy: to be replaced by the
 * single list shared with the pipeline's default redaction pack once it lands.
 */
export const SECRET_KEY_NAMES: readonly string[] = [
  'password',
  'passwd',
  'secret',
  'token',
  'accessToken',
  'refreshToken',
  'idToken',
  'apiKey',
  'api_key',
  'x-api-key',
  'authorization',
  'cookie',
  'set-cookie',
  'clientSecret',
  'client_secret',
  'privateKey',
  'private_key',
  'secretAccessKey',
  'sessionToken',
];
