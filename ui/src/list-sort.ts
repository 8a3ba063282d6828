// How the result list's column headers sort it: which columns can, the direction a first click
// picks, and what a second click does.
import { printSort, SORT_FIELDS, type SortDirection, type SortSpec } from '../../search/sort.js';

/** True when the list can be sorted by this column (see `SORT_FIELDS`). */
export const sortable = (field: string): boolean => SORT_FIELDS[field] !== undefined;

/**
 * The direction a first click on a column sorts by: services A→Z, levels most severe first,
 * numbers largest first, time newest first (what one looks for first in each).
 */
export function firstDirection(field: string): SortDirection {
  return field === 'service.name' ? 'asc' : 'desc';
}

/**
 * The `sort` after a click on `field`'s header: the other direction when the list is already
 * sorted by it, else the field in its first direction. Pure.
 */
export function nextSort(current: SortSpec, field: string): string {
  const order: SortDirection =
    current.field === field ? (current.order === 'asc' ? 'desc' : 'asc') : firstDirection(field);
  return printSort({ field, order });
}

/** How the count line names the shown events: "newest 100 shown", "first 100 by log.level ↓ shown". */
export function shownLabel(sort: SortSpec, shown: string): string {
  if (sort.field === '@timestamp') return `${sort.order === 'asc' ? 'oldest' : 'newest'} ${shown} shown`;
  return `first ${shown} by ${sort.field} ${sort.order === 'asc' ? '↑' : '↓'} shown`;
}

/** The header's arrow: ↑ ascending, ↓ descending; nothing when the list is not sorted by it. */
export function sortArrow(sort: SortSpec, field: string): string {
  if (sort.field !== field) return '';
  return sort.order === 'asc' ? '↑' : '↓';
}
