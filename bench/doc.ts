import { SluiceError } from '../core/errors.js';

/**
 * docs/benchmarks.md is written one suite at a time: each suite owns the text between its two
 * markers, `<!-- bench:NAME:begin -->` and `<!-- bench:NAME:end -->`, and a run replaces only the
 * sections of the suites it ran. Everything outside the markers (the page's introduction, notes,
 * hand-written analysis) is never touched, so a full run cannot erase it.
 */

/** The marker that opens a suite's section. */
export const beginMarker = (suite: string): string => `<!-- bench:${suite}:begin -->`;
/** The marker that closes a suite's section. */
export const endMarker = (suite: string): string => `<!-- bench:${suite}:end -->`;

/** The page written when docs/benchmarks.md does not exist yet (sections are appended after it). */
export const BENCH_DOC_HEADER = [
  '# Benchmarks',
  '',
  'Each section below is written by its suite (`npm run bench`, or `npm run bench -- --only NAME` for one',
  'suite) between `<!-- bench:NAME:begin/end -->` markers, with the command, machine and date of the run',
  'that produced it. Ratios compare variants measured in the same run, one after the other in one process;',
  'absolute figures vary between machines and runs. Text outside the markers is never rewritten: analysis',
  'and history of the figures live in [benchmarks-notes.md](benchmarks-notes.md).',
  '',
].join('\n');

/** A bad docs/benchmarks.md: a marker without its partner, or in the wrong order. */
export class BenchDocError extends SluiceError {
  constructor(message: string) {
    super('BENCH_DOC_MARKERS', message);
  }
}

/** What one suite run produced, and how it was run. */
export interface SuiteSection {
  /** The suite's `name` (marker key). */
  readonly name: string;
  readonly title: string;
  readonly body: string;
  /** The command line that reproduces it. */
  readonly command: string;
  readonly machine: string;
  /** ISO date of the run (YYYY-MM-DD). */
  readonly date: string;
}

/** The Markdown of one suite's section, markers included. */
export function renderSection(s: SuiteSection): string {
  return [
    beginMarker(s.name),
    `## ${s.title}`,
    '',
    `_Suite \`${s.name}\`: \`${s.command}\`, ${s.date}, ${s.machine}._`,
    '',
    s.body.trim(),
    endMarker(s.name),
  ].join('\n');
}

/**
 * Replaces each suite's section of `doc` (markers included) with its new text, or appends it at
 * the end when the page has none yet. Throws {@link BenchDocError} for a marker without its
 * partner (rather than guess and overwrite someone's text).
 */
export function mergeSections(doc: string, sections: readonly SuiteSection[]): string {
  let out = doc;
  for (const s of sections) {
    const begin = beginMarker(s.name);
    const end = endMarker(s.name);
    const from = out.indexOf(begin);
    const to = out.indexOf(end);
    if (from === -1 && to === -1) {
      out = `${out.trimEnd()}\n\n${renderSection(s)}\n`;
      continue;
    }
    if (from === -1 || to === -1 || to < from || out.indexOf(begin, from + 1) !== -1) {
      throw new BenchDocError(
        `docs/benchmarks.md: the markers of suite ${s.name} are broken (expected one ${begin} followed by one ${end}); fix them by hand, nothing was written`,
      );
    }
    out = out.slice(0, from) + renderSection(s) + out.slice(to + end.length);
  }
  return out;
}
