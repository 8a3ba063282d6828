import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type CasesFile, caseEvent, checkCase, parseCasesFile } from '../../filters/cases.js';
import { formatProblem, RuleConfigError } from '../../filters/errors.js';
import { loadRuleFile } from '../../filters/parse.js';
import { compileRules, type FilterPipeline } from '../../filters/pipeline.js';
import { REFERENCE_FILES, renderReference, ruleFileJsonSchema } from '../../filters/reference.js';
import type { RuleFile } from '../../filters/rule-file.js';
import { compileNormalizer } from '../../transform/normalize.js';
import { type Command, type CommandIo, EXIT, type ExitCode, parsedOrUsage, UsageError } from '../command.js';
import { diffEvents } from '../filters/diff.js';
import { readSamples } from '../filters/samples.js';

const HELP = [
  'Usage: sluice filters lint FILE',
  '       sluice filters test FILE [SAMPLES…] [--log-group NAME]',
  '       sluice filters test FILE --cases CASES [--cases CASES…]',
  '       sluice filters docs [--check]',
  '',
  'lint   validates and compiles a rules file; lists every problem (rule, path, line:column,',
  '       received, expected). Exit 2 when there are problems, 0 when clean.',
  'test   runs samples through the rules and shows, for each, the outcome, the rules that fired',
  '       and a field-by-field diff (- before, + after). SAMPLES are files (stdin when none, or -)',
  '       with one LogEvent JSON or one raw log line per line (raw lines are normalised as from',
  '       --log-group, default /aws/lambda/sample). Exit 1 when a sample fails (a rule threw).',
  '       With --cases, checks the expected outcome of each case in the YAML cases files instead',
  '       (see docs/filters.md, "Cases") and says what differs; exit 1 when a case fails.',
  'docs   regenerates docs/filters.md and docs/rules.schema.json; --check exits 1 when stale.',
  '',
  'Hash keys (`hash_key: NAME`) are read from the environment variable NAME. `lint` does not',
  'need them (it lists the names); `test` uses a throwaway key for a missing one and says so',
  '(a cases file may name test-only keys under `secrets`; those win).',
].join('\n');

function hashKeyNames(file: RuleFile): string[] {
  return [...new Set(file.rules.flatMap((r) => (r.kind === 'redact' && r.hash_key ? [r.hash_key] : [])))];
}

/**
 * The hash keys of `rules`: from `given` (a cases file's test-only keys), else the environment,
 * else a throwaway key (with a note).
 */
function hashKeys(
  rules: RuleFile,
  io: CommandIo,
  given: Readonly<Record<string, string>> = {},
): Record<string, string> {
  const secrets: Record<string, string> = {};
  for (const k of hashKeyNames(rules)) {
    const v = Object.hasOwn(given, k) ? given[k] : io.env[k];
    if (v) secrets[k] = v;
    else {
      secrets[k] = 'sluice-filters-test-throwaway-key';
      io.stderr.write(
        `note: hash key ${k} is not in the environment; using a throwaway key (tokens differ from production)\n`,
      );
    }
  }
  return secrets;
}

/** Writes every problem of `err` (file:line:column, rule, path, what was expected), then their count. */
function writeProblems(source: string, err: RuleConfigError, io: CommandIo, count: boolean): void {
  for (const p of err.problems) io.stderr.write(`${formatProblem(source, p)}\n`);
  if (count)
    io.stderr.write(`${source}: ${err.problems.length} problem${err.problems.length === 1 ? '' : 's'}\n`);
}

async function loadOrReport(file: string, io: CommandIo): Promise<RuleFile | undefined> {
  try {
    return await loadRuleFile(path.resolve(io.cwd, file));
  } catch (err) {
    if (err instanceof RuleConfigError) {
      writeProblems(file, err, io, true);
      return undefined;
    }
    throw new UsageError((err as Error).message);
  }
}

function compileOrReport(
  file: string,
  rules: RuleFile,
  secrets: Record<string, string>,
  io: CommandIo,
): FilterPipeline | undefined {
  try {
    return compileRules(rules, { secrets });
  } catch (err) {
    if (!(err instanceof RuleConfigError)) throw err;
    writeProblems(file, err, io, false);
    return undefined;
  }
}

async function lint(file: string, io: CommandIo): Promise<ExitCode> {
  const rules = await loadOrReport(file, io);
  if (!rules) return EXIT.usage;
  const keys = hashKeyNames(rules);
  // Lint checks the file, not the machine: hash keys get placeholders (their names are listed).
  const pipeline = compileOrReport(
    file,
    rules,
    Object.fromEntries(keys.map((k) => [k, 'lint-placeholder'])),
    io,
  );
  if (!pipeline) return EXIT.usage;
  const kinds = rules.rules.map((r) => r.kind);
  io.stdout.write(
    `${file}: OK — ${rules.rules.length} rule${rules.rules.length === 1 ? '' : 's'}` +
      `${kinds.length ? ` (${[...new Set(kinds)].map((k) => `${kinds.filter((x) => x === k).length} ${k}`).join(', ')})` : ''}` +
      `, default pack ${rules.default_pack ? 'on' : 'off'}\n`,
  );
  if (keys.length) io.stdout.write(`hash keys the runtime must provide: ${keys.join(', ')}\n`);
  return EXIT.ok;
}

async function test(
  file: string,
  sampleFiles: readonly string[],
  logGroup: string,
  io: CommandIo,
): Promise<ExitCode> {
  const rules = await loadOrReport(file, io);
  if (!rules) return EXIT.usage;
  const pipeline = compileOrReport(file, rules, hashKeys(rules, io), io);
  if (!pipeline) return EXIT.usage;
  const normalizer = compileNormalizer();
  const sources = sampleFiles.length ? sampleFiles : ['-'];
  let failed = 0;
  const tally = { keep: 0, drop: 0, fail: 0 };
  const acted = new Set<string>();
  for (const source of sources) {
    const text =
      source === '-'
        ? await readStream(io.stdin)
        : await readFile(path.resolve(io.cwd, source), 'utf8').catch(() => {
            throw new UsageError(`cannot read sample file '${source}': expected an existing file`);
          });
    for (const sample of readSamples(text, source === '-' ? 'stdin' : source, normalizer, logGroup)) {
      const { outcome, fired } = pipeline.explain(sample.event);
      tally[outcome.kind]++;
      for (const name of fired) acted.add(name);
      const head =
        outcome.kind === 'keep'
          ? 'keep'
          : outcome.kind === 'drop'
            ? `drop (reason: ${outcome.reason})`
            : `FAIL (${outcome.error.code}: ${outcome.error.message})`;
      io.stdout.write(`── ${sample.label} (${sample.as}) ──\n`);
      io.stdout.write(`outcome: ${head}\nrules fired: ${fired.length ? fired.join(', ') : '(none)'}\n`);
      if (outcome.kind === 'keep') {
        const lines = diffEvents(sample.event, outcome.event);
        io.stdout.write(lines.length ? `${lines.map((l) => `  ${l}`).join('\n')}\n` : '  (unchanged)\n');
      } else if (outcome.kind === 'fail') failed++;
      io.stdout.write('\n');
    }
  }
  io.stdout.write(
    `${tally.keep + tally.drop + tally.fail} samples: ${tally.keep} kept, ${tally.drop} dropped, ${tally.fail} failed\n`,
  );
  writeIdle(rules, acted, 'sample', io);
  return failed ? EXIT.failure : EXIT.ok;
}

/**
 * Names the file's rules that acted on none of the samples or cases: a rule no example exercises
 * may have a condition or field path that never holds.
 */
function writeIdle(rules: RuleFile, acted: ReadonlySet<string>, what: string, io: CommandIo): void {
  const idle = rules.rules.map((r) => r.name).filter((n) => !acted.has(n));
  if (idle.length)
    io.stdout.write(
      `rules that acted on no ${what}: ${idle.join(', ')} (check their conditions and paths, or add a ${what} that needs them)\n`,
    );
}

async function cases(file: string, caseFiles: readonly string[], io: CommandIo): Promise<ExitCode> {
  const rules = await loadOrReport(file, io);
  if (!rules) return EXIT.usage;
  const loaded: [string, CasesFile][] = [];
  for (const source of caseFiles) {
    const text = await readFile(path.resolve(io.cwd, source), 'utf8').catch(() => {
      throw new UsageError(`cannot read cases file '${source}': expected an existing file`);
    });
    try {
      loaded.push([source, parseCasesFile(text, source)]);
    } catch (err) {
      if (!(err instanceof RuleConfigError)) throw err;
      writeProblems(source, err, io, true);
      return EXIT.usage;
    }
  }
  const normalizer = compileNormalizer();
  let passed = 0;
  let failed = 0;
  const acted = new Set<string>();
  for (const [source, casesFile] of loaded) {
    const pipeline = compileOrReport(file, rules, hashKeys(rules, io, casesFile.secrets), io);
    if (!pipeline) return EXIT.usage;
    io.stdout.write(`${source}\n`);
    for (const c of casesFile.cases) {
      const { event, problem } = caseEvent(c, normalizer);
      const checked =
        problem !== undefined ? { problems: [problem], fired: [] } : checkCase(pipeline, c, event);
      const problems = checked.problems;
      for (const name of checked.fired) acted.add(name);
      if (problems.length === 0) passed++;
      else failed++;
      io.stdout.write(`  ${problems.length ? '✗' : '✓'} ${c.name}\n`);
      for (const p of problems) io.stdout.write(`      ${p}\n`);
    }
  }
  io.stdout.write(`${passed + failed} cases: ${passed} passed, ${failed} failed\n`);
  writeIdle(rules, acted, 'case', io);
  return failed ? EXIT.failure : EXIT.ok;
}

async function docs(check: boolean, io: CommandIo): Promise<ExitCode> {
  const files: [string, string][] = [
    [REFERENCE_FILES.markdown, renderReference()],
    [REFERENCE_FILES.schema, ruleFileJsonSchema()],
  ];
  let stale = 0;
  for (const [rel, content] of files) {
    const full = path.join(io.cwd, rel);
    if (check) {
      const current = await readFile(full, 'utf8').catch(() => '');
      if (current !== content) {
        stale++;
        io.stderr.write(`${rel} is out of date; run \`sluice filters docs\`\n`);
      }
    } else {
      await writeFile(full, content);
      io.stdout.write(`wrote ${rel}\n`);
    }
  }
  return stale ? EXIT.failure : EXIT.ok;
}

async function readStream(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(typeof c === 'string' ? Buffer.from(c) : (c as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

/** `sluice filters lint|test|docs`: tools for filter authors. */
export const command: Command = {
  name: 'filters',
  summary: 'Lint and test filter rules files; regenerate the rules reference',
  help: HELP,
  async run(argv, io) {
    const parsed = parsedOrUsage(() =>
      parseArgs({
        args: [...argv],
        allowPositionals: true,
        options: {
          'log-group': { type: 'string' },
          check: { type: 'boolean' },
          cases: { type: 'string', multiple: true },
        },
      }),
    );
    const [sub, file, ...rest] = parsed.positionals;
    switch (sub) {
      case 'lint':
        if (!file || rest.length) throw new UsageError('lint takes exactly one FILE');
        return lint(file, io);
      case 'test':
        if (!file) throw new UsageError('test takes a rules FILE and optional SAMPLES');
        if (parsed.values.cases) {
          if (rest.length || parsed.values['log-group'])
            throw new UsageError('test --cases takes no SAMPLES and no --log-group (cases name their own)');
          return cases(file, parsed.values.cases, io);
        }
        return test(file, rest, parsed.values['log-group'] ?? '/aws/lambda/sample', io);
      case 'docs':
        if (file) throw new UsageError('docs takes no arguments');
        return docs(parsed.values.check ?? false, io);
      default:
        throw new UsageError(`expected a sub-command: lint, test or docs${sub ? `, not '${sub}'` : ''}`);
    }
  },
};
