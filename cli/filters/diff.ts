/** Flattens a JSON value into `path → JSON text` of its leaves (empty objects/arrays are leaves). */
function flatten(value: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value)
      ? value.map((v, i) => [String(i), v] as const)
      : Object.entries(value);
    if (entries.length === 0) out.set(prefix || '(root)', JSON.stringify(value));
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
    return out;
  }
  out.set(prefix || '(root)', JSON.stringify(value) ?? 'undefined');
  return out;
}

/**
 * A readable field-by-field diff of two events: `- path: before` / `+ path: after` for each
 * changed, removed or added leaf, in the order of the before event then new fields.
 */
export function diffEvents(before: unknown, after: unknown): string[] {
  const a = flatten(before);
  const b = flatten(after);
  const lines: string[] = [];
  for (const [path, value] of a) {
    const next = b.get(path);
    if (next === value) continue;
    lines.push(`- ${path}: ${value}`);
    if (next !== undefined) lines.push(`+ ${path}: ${next}`);
  }
  for (const [path, value] of b) if (!a.has(path)) lines.push(`+ ${path}: ${value}`);
  return lines;
}
