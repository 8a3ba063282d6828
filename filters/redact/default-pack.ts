import type { RedactRuleInput } from './config.js';
import { DETECTOR_LIST } from './detectors/index.js';
import { SECRET_KEY_MASK, SECRET_KEY_PATTERNS } from './secret-keys.js';

/**
 * The default rule pack: secret detectors that are on unless a rules file says
 * `default_pack: false` (or the composition root passes `defaultPack: false`). Author redact
 * rules take precedence over it on the same field or text. Names start with `default/`. A built-in
 * detector is in it when its record (`detectors/<name>.ts`) says `defaultPack: true`.
 */
export const DEFAULT_PACK: readonly (RedactRuleInput & { name: string })[] = [
  {
    name: 'default/secret-keys',
    kind: 'redact',
    keys: [...SECRET_KEY_PATTERNS],
    action: 'mask',
    mask_text: SECRET_KEY_MASK,
  },
  ...DETECTOR_LIST.filter((d) => d.defaultPack).map(({ id }) => ({
    name: `default/${id.replaceAll('_', '-')}`,
    kind: 'redact' as const,
    detectors: [id],
    action: 'mask' as const,
    mask_text: `[REDACTED:${id}]`,
  })),
];
