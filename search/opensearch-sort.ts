import type { SortOrder } from './cursor.js';
import { LEVEL_ORDER, type SortSpec, sortKind } from './sort.js';

type Body = Record<string, unknown>;

/** Time order, ties broken by `event.id` (unique per event), so search_after pages never overlap. */
export const sortBy = (sort: SortOrder): Body[] => [
  { '@timestamp': { order: sort } },
  { 'event.id': { order: sort } },
];

/** Severity rank per level, for the painless script of a `log.level` sort. */
const LEVEL_RANK: Readonly<Record<string, number>> = Object.fromEntries(LEVEL_ORDER.map((l, i) => [l, i]));

/**
 * The OpenSearch sort of a field sort (not a time sort): the field (`log.level` by severity through
 * a script over its doc values; numbers with events lacking them last), then newest first and
 * `event.id`, so every hit's sort values are unique and search_after pages neither overlap nor
 * skip. Pure.
 */
export function fieldSortClauses(sort: SortSpec): Body[] {
  const tie: Body[] = [{ '@timestamp': { order: 'desc' } }, { 'event.id': { order: 'desc' } }];
  if (sort.field === 'log.level')
    return [
      {
        _script: {
          type: 'number',
          order: sort.order,
          script: {
            lang: 'painless',
            source:
              "def l = doc['log.level']; return l.size() == 0 ? -1 : params.rank.getOrDefault(l.value, -1);",
            params: { rank: LEVEL_RANK },
          },
        },
      },
      ...tie,
    ];
  if (sortKind(sort) === 'number')
    return [{ [sort.field]: { order: sort.order, missing: '_last', unmapped_type: 'double' } }, ...tie];
  return [{ [sort.field]: { order: sort.order } }, ...tie];
}
