import type { RedactRuleInput } from './config.js';
import { SECRET_KEY_MASK, SECRET_KEY_PATTERNS } from './secret-keys.js';

/**
 * The default rule pack: secret detectors that are on unless a rules file says
 * `default_pack: false` (or the composition root passes `defaultPack: false`). Author redact
 * rules take precedence over it on the same field or text. Names start with `default/`.
 */
export const DEFAULT_PACK: readonly (RedactRuleInput & { name: string })[] = [
  {
    name: 'default/secret-keys',
    kind: 'redact',
    keys: [...SECRET_KEY_PATTERNS],
    action: 'mask',
    mask_text: SECRET_KEY_MASK,
  },
  ...(
    [
      'payment_card',
      'jwt',
      'aws_access_key_id',
      'aws_secret_access_key',
      'auth_header',
      'private_key',
      'credential_assignment',
    ] as const
  ).map((d) => ({
    name: `default/${d.replaceAll('_', '-')}`,
    kind: 'redact' as const,
    detectors: [d],
    action: 'mask' as const,
    mask_text: `[REDACTED:${d}]`,
  })),
];
