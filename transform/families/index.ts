import type { ParsedLine, ParserSettings } from '../parsed.js';
import { ecs } from './ecs.js';
import type { JsonFamily } from './family.js';
import { gcp } from './gcp.js';
import { log4j2 } from './log4j2.js';
import { logstash, winstonLogstash } from './logstash.js';
import { compileMapping, describeMapping, type Mapper } from './mapping.js';
import { otel } from './otel.js';
import { pythonJson } from './python-json.js';
import { serilog } from './serilog.js';
import { structlog } from './structlog.js';
import { TEXT_FAMILIES } from './text.js';
import { tracing } from './tracing.js';

type Rec = Record<string, unknown>;

/**
 * The JSON log families, in priority order (the first that matches wins). A record of none of
 * them is read by the generic record parser (pino, bunyan, Powertools, winston, any JSON).
 */
const JSON_FAMILIES: readonly JsonFamily[] = [
  serilog,
  otel,
  ecs,
  gcp,
  logstash,
  winstonLogstash,
  log4j2,
  tracing,
  structlog,
  pythonJson,
];

const MAPPERS: readonly Mapper[] = JSON_FAMILIES.map((f) => compileMapping(f.mapping));

/**
 * Marker key → indexes of the families it points at. The record parser's role table holds these
 * keys (`compileRoles`), so a record is matched to a family in the same single pass over its keys
 * that reads the generic fields: no extra lookup for records of no family.
 */
export const FAMILY_MARKERS: ReadonlyMap<string, readonly number[]> = (() => {
  const markers = new Map<string, number[]>();
  JSON_FAMILIES.forEach((f, i) => {
    for (const m of f.markers) {
      const list = markers.get(m);
      if (list) list.push(i);
      else markers.set(m, [i]);
    }
  });
  return markers;
})();

/**
 * Maps a record of a family: `candidates` are the family indexes its marker keys point at; the
 * first (in {@link JSON_FAMILIES} order) whose `match` holds wins. `undefined` when none does.
 * Configured transaction id keys left in the attributes are taken as well.
 */
export function parseFamilyRecord(
  o: Rec,
  candidates: readonly number[],
  s: ParserSettings,
): ParsedLine | undefined {
  let best = JSON_FAMILIES.length;
  for (const i of candidates) if (i < best && JSON_FAMILIES[i]!.match(o)) best = i;
  if (best === JSON_FAMILIES.length) return undefined;
  const family = JSON_FAMILIES[best]!;
  const out = MAPPERS[best]!(o);
  family.finish?.(out, o);
  takeConfiguredIds(out, s);
  return out;
}

/** Configured transaction / trace id fields (top-level keys) that the family did not map. */
function takeConfiguredIds(out: ParsedLine, s: ParserSettings): void {
  const attrs = out.attributes;
  if (attrs === undefined) return;
  if (out.transactionId === undefined) {
    for (const f of s.transactionFields) {
      const v = attrs[f.key];
      if (f.path === undefined && (typeof v === 'string' || typeof v === 'number') && String(v) !== '') {
        out.transactionId = String(v);
        delete attrs[f.key];
        break;
      }
    }
  }
  if (Object.keys(attrs).length === 0) delete out.attributes;
}

/** One row of the docs table per family: title, how recognised, which fields map where. */
export function familyRows(): { title: string; format: string; recognisedBy: string; fields: string }[] {
  return [
    ...JSON_FAMILIES.map((f) => ({
      title: f.title,
      format: f.mapping.format,
      recognisedBy: f.recognisedBy,
      fields: [describeMapping(f.mapping), f.finishDoc].filter(Boolean).join('; '),
    })),
    ...TEXT_FAMILIES.map((f) => ({ ...f })),
  ];
}

/** The JSON families' rows only (one per `log.format` of a JSON family, for the line-shapes table). */
export function jsonFamilyRows(): ReturnType<typeof familyRows> {
  return familyRows().slice(0, JSON_FAMILIES.length);
}
