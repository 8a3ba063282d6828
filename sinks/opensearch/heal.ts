/** Key of the object that holds quarantined values (mapped `enabled: false`: kept, never indexed). */
export const QUARANTINE_KEY = 'quarantine';
/** Keyword list of the paths that were quarantined (searchable: `quarantine_fields:*`). */
export const QUARANTINE_FIELDS_KEY = 'quarantine_fields';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Finds `path` (dotted, as OpenSearch reports it) in `doc`, allowing keys that contain dots
 * (e.g. `attributes["http.status"]`): at each level the longest matching key wins. Returns the
 * keys to follow, or undefined when the path is not in the document.
 */
export function locate(doc: Obj, path: string): string[] | undefined {
  const segs = path.split('.');
  const keys: string[] = [];
  let node: unknown = doc;
  let i = 0;
  while (i < segs.length) {
    if (!isObj(node)) return undefined;
    let found = -1;
    for (let j = segs.length; j > i; j--) {
      if (Object.hasOwn(node, segs.slice(i, j).join('.'))) {
        found = j;
        break;
      }
    }
    if (found < 0) return undefined;
    const key = segs.slice(i, found).join('.');
    keys.push(key);
    node = node[key];
    i = found;
  }
  return keys;
}

/**
 * Heals a document that OpenSearch rejected because of `field`: returns a copy in which that
 * value is removed and kept as a string under `quarantine[<field>]` (JSON for non-strings), and
 * `field` is appended to `quarantine_fields`. The input is not mutated. Undefined when the field
 * is not in the document (nothing to move: the error is not healable this way).
 */
export function healDocument(doc: Obj, field: string): Obj | undefined {
  if (field === QUARANTINE_KEY || field.startsWith(`${QUARANTINE_KEY}.`) || field === QUARANTINE_FIELDS_KEY) {
    return undefined;
  }
  const keys = locate(doc, field);
  if (!keys || keys.length === 0) return undefined;
  const root: Obj = { ...doc };
  let parent: Obj = root;
  for (let k = 0; k < keys.length - 1; k++) {
    const key = keys[k] as string;
    const child: Obj = { ...(parent[key] as Obj) };
    parent[key] = child;
    parent = child;
  }
  const last = keys[keys.length - 1] as string;
  const value = parent[last];
  delete parent[last];
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  const previous = isObj(doc[QUARANTINE_KEY]) ? (doc[QUARANTINE_KEY] as Obj) : {};
  const fields = Array.isArray(doc[QUARANTINE_FIELDS_KEY]) ? (doc[QUARANTINE_FIELDS_KEY] as unknown[]) : [];
  root[QUARANTINE_KEY] = { ...previous, [field]: text };
  root[QUARANTINE_FIELDS_KEY] = [...fields, field];
  return root;
}
