/**
 * The attribute index: every scalar leaf under an event's `attributes` (nested objects flattened
 * to dotted keys, each element of an array under the array's key) becomes a token — a 32-bit hash
 * of (key, value) — in the contentless FTS5 table `fields_fts` (detail=none: a posting list per
 * token, a few bytes per entry, appended in segments rather than inserted at random places of a
 * b-tree), so `attributes.order_id:ord-1` is an index lookup instead of a `json_extract` over
 * every row. A hash can collide: lookups check each candidate against the stored event with
 * {@link attributeMatches}, so results stay exact.
 */

/** Values longer than this are not indexed (a query for such a value scans instead). */
export const MAX_INDEXED_VALUE_CHARS = 200;

type Json = Record<string, unknown>;

/** The text a scalar leaf is indexed and matched as (`true`, `42`, `12.5`, the string itself). */
const leafText = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v
    : typeof v === 'number' && Number.isFinite(v)
      ? String(v)
      : typeof v === 'boolean'
        ? String(v)
        : undefined;

/**
 * The (key, value) pairs of the scalar leaves of `attributes` (keys relative to `attributes`,
 * dotted), values of at most {@link MAX_INDEXED_VALUE_CHARS} characters. Pure.
 */
export function attributePairs(attributes: unknown): [string, string][] {
  const out: [string, string][] = [];
  if (typeof attributes === 'object' && attributes !== null && !Array.isArray(attributes))
    addPairs(attributes, '', out);
  return out;
}

/**
 * The pairs of one node into `out` (a module-level function, not a closure made per event: the
 * tsx loader `sluice` runs under names each closure it makes, which cost more than the walk).
 */
function addPairs(v: unknown, key: string, out: [string, string][]): void {
  if (Array.isArray(v)) {
    for (const x of v) if (!Array.isArray(x)) addPairs(x, key, out);
    return;
  }
  if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v as Json)) addPairs(x, key === '' ? k : `${key}.${k}`, out);
    return;
  }
  const text = leafText(v);
  if (key !== '' && text !== undefined && text.length <= MAX_INDEXED_VALUE_CHARS) out.push([key, text]);
}

/** FNV-1a over the UTF-16 code units of `key`, a NUL and `value`, as a signed 32-bit integer. Pure. */
export function attributeHash(key: string, value: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h = Math.imul(h, 0x01000193); // the NUL between them (h ^ 0 = h)
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 0x01000193);
  return h | 0;
}

/** The FTS5 token of an attribute pair: `a` and its hash in base 36 (`a1x2y3z`). Pure. */
export const attributeToken = (key: string, value: string): string =>
  `a${(attributeHash(key, value) >>> 0).toString(36)}`;

/** The attribute part of what `fields_fts` indexes for an event: its distinct attribute tokens, space-separated. Pure. */
export function attributeTokens(attributes: unknown): string {
  return [...new Set(attributePairs(attributes).map(([k, v]) => attributeToken(k, v)))].join(' ');
}

/**
 * True when the event stored as `doc` (the JSON of `events.doc`) has the attribute `key` (relative
 * to `attributes`) with a leaf equal to `value`, by the same flattening as the index. Pure.
 */
export function attributeMatches(doc: string, key: string, value: string): boolean {
  const attributes = (JSON.parse(doc) as Json).attributes;
  return attributePairs(attributes).some(([k, v]) => k === key && v === value);
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The nodes under `attributes` (an object) that the dotted `key` names by the flattening of
 * {@link attributePairs}: object keys joined with dots (a key may itself hold dots, so
 * `{"a.b": 1}` and `{"a": {"b": 1}}` are both `a.b`), and, when `throughArrays`, the objects of an
 * array under the array's key (`{"a": [{"b": 1}]}` is `a.b` too; nested arrays are skipped as
 * they are there). Null values are no nodes. Pure.
 */
export function attributeNodes(attributes: unknown, key: string, throughArrays: boolean): unknown[] {
  const out: unknown[] = [];
  if (isObject(attributes) && key !== '') findNodes(attributes, key, throughArrays, out);
  return out;
}

function findNodes(o: Json, rest: string, throughArrays: boolean, out: unknown[]): void {
  for (const k of Object.keys(o)) {
    const x = o[k];
    if (x === null || x === undefined || !rest.startsWith(k)) continue;
    if (rest.length === k.length) out.push(x);
    else if (rest.charCodeAt(k.length) !== 46 /* . */) continue;
    else if (isObject(x)) findNodes(x, rest.slice(k.length + 1), throughArrays, out);
    else if (throughArrays && Array.isArray(x))
      for (const e of x) if (isObject(e)) findNodes(e, rest.slice(k.length + 1), throughArrays, out);
  }
}

/**
 * True when the event stored as `doc` has a leaf of the attribute `key` equal to `value` (or, with
 * `prefix`, starting with it), as {@link attributeMatches} but for values of any length. Pure.
 */
export function attributeTermMatches(doc: string, key: string, value: string, prefix: boolean): boolean {
  for (const x of attributeNodes((JSON.parse(doc) as Json).attributes, key, true)) {
    for (const e of Array.isArray(x) ? x : [x]) {
      if (Array.isArray(e)) continue;
      const text = leafText(e);
      if (text !== undefined && (prefix ? text.startsWith(value) : text === value)) return true;
    }
  }
  return false;
}

/** True when the event stored as `doc` has the attribute `key` (not through arrays of objects). Pure. */
export const attributePresent = (doc: string, key: string): boolean =>
  attributeNodes((JSON.parse(doc) as Json).attributes, key, false).length > 0;
