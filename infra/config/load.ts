import { readFileSync } from 'node:fs';
import { isNode, LineCounter, parseDocument } from 'yaml';
import { InfraConfigError, type InfraConfigProblem } from './errors.js';
import { type SluiceInfraConfig, SluiceInfraConfigSchema } from './schema.js';

/**
 * Parses a YAML (or JSON, a subset) deployment config and validates it. Throws
 * {@link InfraConfigError} listing every problem with its path and line.
 */
export function parseInfraConfig(text: string, source: string): SluiceInfraConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter });
  if (doc.errors.length > 0) {
    throw new InfraConfigError(
      source,
      doc.errors.map((e) => ({
        path: '(document)',
        message: e.message.split('\n')[0] ?? 'YAML syntax error',
        ...(e.linePos?.[0] ? { line: e.linePos[0].line, column: e.linePos[0].col } : {}),
      })),
    );
  }
  const result = SluiceInfraConfigSchema.safeParse(doc.toJS() ?? {});
  if (result.success) return result.data;
  const problems: InfraConfigProblem[] = result.error.issues.map((issue) => {
    const path = issue.path.map(String);
    const node = findNode(doc, path);
    const pos = node?.range ? lineCounter.linePos(node.range[0]) : undefined;
    return {
      path: path.join('.') || '(root)',
      message: issue.message,
      ...(pos ? { line: pos.line, column: pos.col } : {}),
    };
  });
  throw new InfraConfigError(source, problems);
}

/** The deepest node that exists along `path` (an unknown or missing key points at its parent). */
function findNode(doc: ReturnType<typeof parseDocument>, path: readonly string[]) {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node)) return node;
  }
  return undefined;
}

/** Reads and validates the deployment config at `path`. */
export function loadInfraConfig(path: string): SluiceInfraConfig {
  return parseInfraConfig(readFileSync(path, 'utf8'), path);
}
