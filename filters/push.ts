/** Appends to a lazily created array (hot paths allocate only when something is found). */
export function pushTo<T>(list: T[] | undefined, ...items: T[]): T[] {
  if (list === undefined) return items;
  list.push(...items);
  return list;
}
