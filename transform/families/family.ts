import type { ParsedLine } from '../parsed.js';
import type { MappingSpec } from './mapping.js';

type Rec = Record<string, unknown>;

/**
 * A family of JSON log records written by one logger (or one standard): how it is recognised and
 * how its keys map to the schema. One file per family under `transform/families/`, with its real
 * upstream samples beside it (`<family>.samples.ts`); add a family to `JSON_FAMILIES` in
 * `index.ts`.
 */
export interface JsonFamily {
  /** Who writes it, for the docs table (e.g. "Serilog compact JSON (CLEF)"). */
  readonly title: string;
  /**
   * Top-level keys that point at the family. Detection looks each key of a record up once in a
   * map built from all families' markers; only then is {@link match} called.
   */
  readonly markers: readonly string[];
  /** The record really is of this family (checked only when one of its markers is present). */
  readonly match: (o: Rec) => boolean;
  /** How it is recognised, for the docs table. */
  readonly recognisedBy: string;
  /** The field mapping (compiled once). */
  readonly mapping: MappingSpec;
  /** Work the table cannot express (render a message template, read OTLP attribute lists). */
  readonly finish?: (out: ParsedLine, o: Rec) => void;
  /** Extra text for the docs table's fields cell (what `finish` does). */
  readonly finishDoc?: string;
}

/** Where a sample line comes from: the upstream project or doc, and its license. */
export interface SampleSource {
  readonly project: string;
  readonly url: string;
  readonly license: string;
}

/**
 * A real log line of a family, quoted from its upstream project's docs or tests (pretty-printed
 * JSON is put on one line), and the LogEvent fields it must map to (a partial event: every path
 * given must be equal; `absent` paths must not exist).
 */
export interface FamilySample {
  readonly name: string;
  readonly line: string;
  readonly source: SampleSource;
  readonly expect: Record<string, unknown>;
  readonly absent?: readonly string[];
}
