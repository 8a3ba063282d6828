import type { CompileContext } from '../compile-context.js';
import { compileCondition, type Predicate } from '../condition/compile.js';
import { compileAuthorRegex } from '../regex.js';
import { hashAction, maskAction, partialAction, type RedactAction, removeAction } from './actions.js';
import { isCardNumber } from './cards.js';
import type { RedactRule } from './config.js';
import type { SpanFinder } from './detectors/detector.js';
import { DETECTOR_MIN_LENGTH, DETECTORS } from './detectors.js';
import { DETECTOR_NEEDS } from './prescan.js';
import { compileGlob, normaliseKey } from './secret-keys.js';

/** One redact rule, compiled. */
export interface CompiledRedactRule {
  readonly name: string;
  /** The rule applies only to events this holds for; undefined: to every event. */
  readonly when: Predicate | undefined;
  readonly action: RedactAction;
  /** Field patterns, split into segments. */
  readonly fieldPatterns: readonly (readonly string[])[];
  /** Matches a normalised key name (see {@link normaliseKey}), or undefined when the rule has no keys. */
  readonly keyMatcher: ((normalisedKey: string) => boolean) | undefined;
  /**
   * Span finders applied to strings (built-in detectors, then author patterns), with the shortest
   * text each can match, the pre-scan features every match needs (`prescan.ts`; 0: always run)
   * and, for an author pattern, the literal every match starts with ('' when none).
   */
  readonly finders: readonly {
    readonly find: SpanFinder;
    readonly minLength: number;
    readonly needs: number;
    readonly prefix: string;
  }[];
  /** True when integer JSON numbers are checked as payment cards. */
  readonly cardNumbers: boolean;
}

/** True when `n` is an integer whose digits form a payment card number. */
export function isCardInteger(n: number): boolean {
  return Number.isSafeInteger(n) && n >= 1e12 && isCardNumber(String(n));
}

function compileAction(rule: RedactRule, ctx: CompileContext): RedactAction {
  switch (rule.action) {
    case 'mask':
      return maskAction(rule.mask_text ?? '[REDACTED]');
    case 'partial':
      return partialAction(rule.keep_last ?? 4);
    case 'remove':
      return removeAction;
    case 'hash': {
      const keyName = rule.hash_key ?? '';
      const key = Object.hasOwn(ctx.secrets, keyName) ? ctx.secrets[keyName] : undefined;
      if (!key) {
        ctx.problem({
          path: ['hash_key'],
          received: `no secret named '${keyName}' among the ${Object.keys(ctx.secrets).length} secrets passed in`,
          expected: `the HMAC key '${keyName}' in the secrets (environment / Secrets Manager), non-empty`,
          message: `the hash key '${keyName}' is missing`,
        });
        return maskAction('[REDACTED]');
      }
      return hashAction(key);
    }
  }
}

/** Compiles one validated redact rule (problems such as a missing hash key go to `ctx`). */
export function compileRedactRule(rule: RedactRule, ctx: CompileContext): CompiledRedactRule {
  const keyGlobs = (rule.keys ?? []).map((k) => compileGlob(normaliseKey(k)));
  const finders = [
    ...(rule.detectors ?? []).map((d) => ({
      find: DETECTORS[d],
      minLength: DETECTOR_MIN_LENGTH[d],
      needs: DETECTOR_NEEDS[d],
      prefix: '',
    })),
    ...(rule.patterns ?? []).map((p) => {
      const re = compileAuthorRegex(p);
      // Every match starts with the pattern's literal prefix, so it is at least that long.
      return {
        find: (s: string) => re.spans(s),
        minLength: Math.max(1, re.literalPrefix.length),
        needs: 0,
        prefix: re.literalPrefix,
      };
    }),
  ];
  return {
    name: rule.name,
    when: rule.when && compileCondition(rule.when),
    action: compileAction(rule, ctx),
    fieldPatterns: (rule.fields ?? []).map((f) => f.split('.')),
    keyMatcher: keyGlobs.length ? (k) => keyGlobs.some((g) => g(k)) : undefined,
    finders,
    cardNumbers: rule.detectors?.includes('payment_card') ?? false,
  };
}
