import { readFile } from 'node:fs/promises';
import { type Document, isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseDocument } from 'yaml';
import type { z } from 'zod';
import { RuleConfigError, RuleFileReadError, type RuleProblem } from './errors.js';
import { type RuleFile, RuleFileSchema } from './rule-file.js';

/** Where a path inside a parsed rules file is, for problems found after parsing (compile time). */
export type Locator = (path: readonly (string | number)[]) => { line: number; column: number };

const locators = new WeakMap<RuleFile, { source: string; locate: Locator; raw: unknown }>();

/** The source label and locator of a file returned by {@link parseRuleFile}, if it came from one. */
export function ruleFileOrigin(
  file: RuleFile,
): { source: string; locate: Locator; raw: unknown } | undefined {
  return locators.get(file);
}

/** Formats `['rules', 2, 'drop_when', 'field']` as `rules[2].drop_when.field`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else out += out ? `.${String(seg)}` : String(seg);
  }
  return out;
}

/** Describes a value of the rules file for a problem report (config, not event content). */
function describeConfigValue(v: unknown): string {
  if (v === undefined) return 'nothing (the key is missing)';
  if (v === null) return 'null (empty)';
  if (typeof v === 'string')
    return v.length > 60
      ? `${JSON.stringify(v.slice(0, 60))}… (a string)`
      : `${JSON.stringify(v)} (a string)`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${String(v)} (a ${typeof v})`;
  if (Array.isArray(v)) return `a list of ${v.length} items`;
  if (typeof v === 'object') {
    const keys = Object.keys(v);
    return `a mapping with keys ${keys.slice(0, 8).join(', ')}${keys.length > 8 ? ', …' : ''}`;
  }
  return `a ${typeof v}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const seg of path) {
    if (v === null || typeof v !== 'object' || !Object.hasOwn(v, seg)) return undefined;
    v = (v as Record<PropertyKey, unknown>)[seg];
  }
  return v;
}

function makeLocator(
  doc: Document,
  lines: LineCounter,
): (path: readonly PropertyKey[], keyOf?: string) => { line: number; column: number } {
  return (path, keyOf) => {
    let node: unknown = doc.contents;
    let offset = (doc.contents as Node | null)?.range?.[0] ?? 0;
    const steps = keyOf === undefined ? path : [...path, keyOf];
    for (let i = 0; i < steps.length; i++) {
      const seg = steps[i];
      let next: unknown;
      let keyNode: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        keyNode = pair?.key;
        next = pair?.value ?? undefined;
      } else if (isSeq(node) && typeof seg === 'number') next = node.items[seg];
      const last = i === steps.length - 1;
      // For an unknown key, point at the key itself; a null value points at its key too.
      const target = (last && keyOf !== undefined) || next === null || next === undefined ? keyNode : next;
      const range = (target as Node | undefined)?.range;
      if (!range) break;
      offset = range[0];
      node = next;
      if (next === undefined || next === null) break;
    }
    const pos = lines.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
}

function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'unrecognized_keys':
      return 'only the documented keys (see docs/filters.md)';
    case 'invalid_union':
      return 'one of the documented shapes';
    case 'invalid_format':
      return issue.message;
    case 'invalid_key':
      return issue.issues.map((i) => (i.code === 'custom' ? i.message : i.message)).join('; ');
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${String(issue.minimum)} items`
        : `at least ${String(issue.minimum)}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${String(issue.maximum)} items`
        : `at most ${String(issue.maximum)}`;
    default:
      return issue.message;
  }
}

function ruleLabel(data: unknown, path: readonly PropertyKey[]): string | undefined {
  if (path[0] !== 'rules' || typeof path[1] !== 'number') return undefined;
  const name = valueAt(data, ['rules', path[1], 'name']);
  return typeof name === 'string' && name ? name : `#${path[1] + 1}`;
}

/** Turns zod issues into problems with rule, path, line:column, received and expected. */
function problemsOf(
  issues: readonly z.core.$ZodIssue[],
  data: unknown,
  locate: (path: readonly PropertyKey[], keyOf?: string) => { line: number; column: number },
): RuleProblem[] {
  const out: RuleProblem[] = [];
  for (const issue of issues) {
    const path = issue.path;
    const rule = ruleLabel(data, path);
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const at = locate(path, key);
        out.push({
          ...(rule ? { rule } : {}),
          path: formatPath([...path, key]),
          ...at,
          received: `the unknown key '${key}'`,
          expected: expectedOf(issue),
          message: `unknown key '${key}'`,
        });
      }
      continue;
    }
    if (issue.code === 'invalid_union' && 'discriminator' in issue) {
      const kindPath = path[path.length - 1] === 'kind' ? path : [...path, 'kind'];
      out.push({
        ...(rule ? { rule } : {}),
        path: formatPath(kindPath),
        ...locate(kindPath),
        received: describeConfigValue(valueAt(data, kindPath)),
        expected: 'kind: one of redact, drop, sample, enrich, route',
        message: 'unknown or missing rule kind',
      });
      continue;
    }
    const received = describeConfigValue(valueAt(data, path));
    out.push({
      ...(rule ? { rule } : {}),
      path: formatPath(path),
      ...locate(path),
      received,
      expected: expectedOf(issue),
      message:
        issue.code === 'invalid_key'
          ? 'invalid key'
          : issue.code === 'custom' || issue.code === 'invalid_format'
            ? 'invalid value'
            : issue.message,
    });
  }
  return out.sort((a, b) => a.line - b.line || a.column - b.column);
}

/**
 * Parses YAML (or JSON, which YAML reads too) and validates it with `schema`. Throws a
 * {@link RuleConfigError} listing every problem with its path, line:column, what was received
 * and what was expected. Returns the value and a locator of paths in the text.
 */
export function parseYamlWith<S extends z.ZodType>(
  text: string,
  source: string,
  schema: S,
): { value: z.output<S>; data: unknown; locate: Locator } {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length) {
    throw new RuleConfigError(
      source,
      doc.errors.map((e) => {
        const pos = lines.linePos(e.pos[0]);
        return {
          path: '',
          line: pos.line,
          column: pos.col,
          received: `invalid syntax (${e.code})`,
          expected: 'valid YAML or JSON',
          message: e.message.split('\n')[0] ?? e.message,
        };
      }),
    );
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 }) ?? {};
  } catch (err) {
    // e.g. an alias bomb ("billion laughs"): refused, reported like any other problem.
    throw new RuleConfigError(source, [
      {
        path: '',
        line: 0,
        column: 0,
        received: `a document that cannot be expanded (${(err as Error).message})`,
        expected: 'a file with at most 100 alias expansions',
        message: 'the YAML cannot be expanded safely',
      },
    ]);
  }
  const locate = makeLocator(doc, lines);
  const result = schema.safeParse(data);
  if (!result.success) throw new RuleConfigError(source, problemsOf(result.error.issues, data, locate));
  return { value: result.data, data, locate: (path) => locate(path) };
}

/**
 * Parses and validates a rules file (YAML, or JSON — which YAML reads too). Throws a
 * {@link RuleConfigError} listing every problem with its rule, path, line:column, what was
 * received and what was expected.
 */
export function parseRuleFile(text: string, source: string): RuleFile {
  const { value, data, locate } = parseYamlWith(text, source, RuleFileSchema);
  locators.set(value, { source, locate, raw: data });
  return value;
}

/** Reads and parses a rules file from disk (see {@link parseRuleFile}). */
export async function loadRuleFile(path: string): Promise<RuleFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RuleFileReadError(path, err);
  }
  return parseRuleFile(text, path);
}

/** Validates a rules file built in code (no positions); throws {@link RuleConfigError}. */
export function validateRuleFile(input: unknown, source = '(rules object)'): RuleFile {
  const result = RuleFileSchema.safeParse(input);
  if (!result.success)
    throw new RuleConfigError(
      source,
      problemsOf(result.error.issues, input, () => ({ line: 0, column: 0 })),
    );
  return result.data;
}
