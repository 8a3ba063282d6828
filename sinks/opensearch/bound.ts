import { QUARANTINE_FIELDS_KEY, QUARANTINE_KEY } from './heal.js';

/**
 * Fields mapped as `flat_object`. OpenSearch 2.19 indexes every leaf of such a field as keyword
 * terms (`<field>._value` = the value, `<field>._valueAndPath` = `<path>=<value>`, `<field>._path`)
 * and has no `ignore_above` for it, so one leaf over Lucene's 32,766-byte term limit fails the
 * whole document ("immense term").
 */
const FLAT_OBJECT_FIELDS: readonly string[] = ['attributes'];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

const encoder = new TextEncoder();

/** The longest prefix of `s` whose UTF-8 encoding fits in `maxBytes` (never cuts a character). */
export function utf8Prefix(s: string, maxBytes: number): string {
  if (s.length * 3 <= maxBytes) return s;
  const { read } = encoder.encodeInto(s, new Uint8Array(Math.max(0, maxBytes)));
  return s.slice(0, read);
}

/** What {@link boundLongValues} changed. */
export interface Bounded {
  /** A copy of the document in which every flat_object leaf fits in the limit. */
  readonly doc: Obj;
  /** Paths (`attributes.<keys>`) whose value was cut or moved; their whole value is in `quarantine`. */
  readonly fields: readonly string[];
}

/**
 * Makes every leaf of the flat_object fields fit in the index's term limit, keeping the whole value
 * in the stored document: a string whose `<path>=<value>` exceeds `maxTermBytes` UTF-8 bytes is cut
 * (at a character boundary) to what fits, so its beginning stays searchable; a key path longer than
 * a quarter of the limit cannot be indexed at all, so that entry moves out of the field. Either way
 * the original value goes to `quarantine["<path>"]` (a string as it was, anything else as JSON) and
 * the path is appended to `quarantine_fields`, as a heal does. Pure: returns `undefined` when
 * nothing needed changing (the usual case), else a changed copy; the input is never mutated.
 */
export function boundLongValues(doc: Obj, maxTermBytes: number): Bounded | undefined {
  const maxPathBytes = Math.floor(maxTermBytes / 4);
  const moved: [string, string][] = [];

  // The keys from the field down to the value being walked: a path string is built only when the
  // cheap bound below does not settle it (a value or key near the limit), not for every key.
  const keys: string[] = [];
  const pathOf = (field: string, key?: string): string =>
    `${field}${keys.length > 0 ? `.${keys.join('.')}` : ''}${key === undefined ? '' : `.${key}`}`;

  // The bounded copy of `value` under `field` + `keys`, or `value` itself when it fits. `pathMax`
  // bounds that path's UTF-8 length from above (a UTF-16 unit takes at most 3 bytes); the exact
  // length is counted only when the bound is over the limit. Records what it changed in `moved`
  // when `record` (inside an array the array is recorded whole instead).
  const walk = (value: unknown, field: string, pathMax: number, record: boolean): unknown => {
    if (typeof value === 'string') {
      if (value.length * 3 <= maxTermBytes - pathMax - 1) return value;
      const path = pathOf(field);
      const room = maxTermBytes - Buffer.byteLength(path) - 1;
      if (Buffer.byteLength(value) <= room) return value;
      if (record) moved.push([path, value]);
      return utf8Prefix(value, room);
    }
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const v = walk(value[i], field, pathMax, false);
        if (v !== value[i]) {
          copy ??= value.slice();
          copy[i] = v;
        }
      }
      if (copy && record) moved.push([pathOf(field), text(value)]);
      return copy ?? value;
    }
    if (!isObj(value)) return value;
    let copy: Obj | undefined;
    for (const key of Object.keys(value)) {
      const child = value[key];
      const childMax = pathMax + 1 + key.length * 3;
      if (childMax > maxPathBytes && Buffer.byteLength(pathOf(field, key)) > maxPathBytes) {
        copy ??= { ...value };
        delete copy[key];
        if (record) moved.push([pathOf(field, key), text(child)]);
        continue;
      }
      keys.push(key);
      const bounded = walk(child, field, childMax, record);
      keys.pop();
      if (bounded !== child) {
        copy ??= { ...value };
        copy[key] = bounded;
      }
    }
    return copy ?? value;
  };

  let root: Obj | undefined;
  for (const field of FLAT_OBJECT_FIELDS) {
    const value = doc[field];
    if (!isObj(value)) continue;
    const bounded = walk(value, field, Buffer.byteLength(field), true);
    if (bounded === value) continue;
    root ??= { ...doc };
    root[field] = bounded;
  }
  if (!root) return undefined;
  const previous = isObj(doc[QUARANTINE_KEY]) ? (doc[QUARANTINE_KEY] as Obj) : {};
  const list = Array.isArray(doc[QUARANTINE_FIELDS_KEY]) ? (doc[QUARANTINE_FIELDS_KEY] as unknown[]) : [];
  root[QUARANTINE_KEY] = { ...previous, ...Object.fromEntries(moved) };
  root[QUARANTINE_FIELDS_KEY] = [...list, ...moved.map(([p]) => p)];
  return { doc: root, fields: moved.map(([p]) => p) };
}

const text = (v: unknown): string => (typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v)));
