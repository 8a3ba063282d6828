import type pino from 'pino';

/** What redacted values are replaced with (the same text the pipeline's mask writes). */
export const REDACTION_CENSOR = '[REDACTED]';

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * The spellings a key name is matched in: as given, lower case, upper case, capitalised, and
 * header case (`x-api-key` → `X-Api-Key`). pino's paths are exact, so the spellings are listed.
 */
export function keySpellings(key: string): string[] {
  const capital = key.charAt(0).toUpperCase() + key.slice(1);
  const header = key
    .split('-')
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1).toLowerCase())
    .join('-');
  return [...new Set([key, key.toLowerCase(), key.toUpperCase(), capital, header])];
}

/**
 * pino `redact` paths for `keys` on the line itself and up to `depth` object levels below it
 * (`password`, `*.password`, `*.*.password`, …). Array items count as one level.
 */
export function redactPaths(keys: readonly string[], depth: number): string[] {
  const out = new Set<string>();
  for (const key of keys) {
    for (const spelling of keySpellings(key)) {
      const segment = IDENTIFIER.test(spelling) ? spelling : `[${JSON.stringify(spelling)}]`;
      for (let d = 0; d <= depth; d++) {
        const prefix = '*'.repeat(d).split('').join('.');
        out.add(d === 0 ? segment : `${prefix}${segment.startsWith('[') ? '' : '.'}${segment}`);
      }
    }
  }
  return [...out];
}

/** The pino `redact` option for these key names, or `undefined` when there are none. */
export function redactOption(keys: readonly string[], depth: number): pino.LoggerOptions['redact'] {
  if (keys.length === 0) return undefined;
  return { paths: redactPaths(keys, depth), censor: REDACTION_CENSOR };
}
