import { samples as ecs } from './ecs.samples.js';
import type { FamilySample } from './family.js';
import { samples as gcp } from './gcp.samples.js';
import { samples as lambdaPlatform } from './lambda-platform.samples.js';
import { samples as lambdaRuntimes } from './lambda-runtimes.samples.js';
import { samples as log4j2 } from './log4j2.samples.js';
import { samples as logstash } from './logstash.samples.js';
import { samples as otel } from './otel.samples.js';
import { samples as plainText } from './plain-text.samples.js';
import { samples as pythonJson } from './python-json.samples.js';
import { samples as serilog } from './serilog.samples.js';
import { samples as stacks } from './stacks.samples.js';
import { samples as structlog } from './structlog.samples.js';
import { samples as tracing } from './tracing.samples.js';

/**
 * Every family's corpus of real upstream lines (test data: imported by tests only). Add a
 * family's `<family>.samples.ts` here.
 */
export const CORPUS: readonly { readonly family: string; readonly samples: readonly FamilySample[] }[] = [
  { family: 'serilog', samples: serilog },
  { family: 'ecs', samples: ecs },
  { family: 'otel', samples: otel },
  { family: 'gcp', samples: gcp },
  { family: 'logstash', samples: logstash },
  { family: 'log4j2', samples: log4j2 },
  { family: 'tracing', samples: tracing },
  { family: 'structlog', samples: structlog },
  { family: 'python-json', samples: pythonJson },
  { family: 'lambda-runtimes', samples: lambdaRuntimes },
  { family: 'lambda-platform', samples: lambdaPlatform },
  { family: 'plain-text', samples: plainText },
  { family: 'stacks-and-powertools', samples: stacks },
];
