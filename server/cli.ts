// The `chartcoder` command line. Entry file: it only wires settings, provisioning and health together.
import { Command, InvalidArgumentError } from 'commander';
import { loadSettings } from './config/load';
import { ChartcoderError, describeError } from './engine/errors';
import { EXIT_CODES } from './tooling/commands/exitCodes';
import { registerBenchCommands } from './tooling/commands/benchCommands';
import { registerCodeCommands } from './tooling/commands/codeCommands';
import { registerServeCommands } from './tooling/commands/serveCommands';
import { registerTrainCommands } from './tooling/commands/trainCommands';
import { registerEncounterCommands } from './tooling/commands/encounterCommands';
import { registerEvalCommands } from './tooling/commands/evalCommands';
import { registerKnowledgeCommands } from './tooling/commands/knowledgeCommands';
import { registerModelCommands } from './tooling/commands/modelCommands';
import { checkHealth, formatHealth } from './app/health';
import type { ChartcoderSettings } from './protocol';
import { parseServiceTarget, startServices, stopServices, type ServiceTarget } from './tooling/provision/services';

function serviceTarget(value: string): ServiceTarget {
  const target = parseServiceTarget(value);
  if (!target) throw new InvalidArgumentError('expected es, ollama, fhir or all');
  return target;
}

async function report(settings: ChartcoderSettings, json: boolean): Promise<number> {
  const health = await checkHealth(settings);
  process.stdout.write(json ? JSON.stringify(health, null, 2) + '\n' : formatHealth(health) + '\n');
  return health.every((h) => h.state === 'up') ? 0 : 3;
}

export function buildProgram(): Command {
  const program = new Command('chartcoder')
    .description('Clinical coding assistant: ICD-10-CM/PCS, CPT and HCPCS suggestions with verified evidence')
    .option('-c, --config <file>', 'settings file (JSON); CHARTCODER_* environment variables override it')
    .showHelpAfterError();
  const settings = () => loadSettings({ configPath: program.opts<{ config?: string }>().config });
  const exit = (code: number) => {
    process.exitCode = code;
  };

  const services = program.command('services').description('provision and run Elasticsearch, Ollama and the FHIR test server locally');
  services
    .command('start')
    .argument('[target]', 'es | ollama | fhir | all', serviceTarget, 'all')
    .description('install (cached) and start, then report health')
    .action(async (target: ServiceTarget) => {
      const s = settings();
      const code = await startServices(s, target);
      exit(code !== 0 ? code : target === 'all' ? await report(s, false) : 0);
    });
  services
    .command('stop')
    .argument('[target]', 'es | ollama | fhir | all', serviceTarget, 'all')
    .description('stop what `services start` started')
    .action(async (target: ServiceTarget) => exit(await stopServices(settings(), target)));
  services
    .command('status')
    .option('--json', 'machine-readable output')
    .description('health of each service')
    .action(async (o: { json?: boolean }) => exit(await report(settings(), Boolean(o.json))));

  program
    .command('health')
    .option('--json', 'machine-readable output')
    .description('versions and state of Elasticsearch, Ollama (with models) and the FHIR server')
    .action(async (o: { json?: boolean }) => exit(await report(settings(), Boolean(o.json))));

  registerModelCommands(program, settings, exit);
  registerKnowledgeCommands(program, settings, exit);
  registerEvalCommands(program, settings, exit);
  registerBenchCommands(program, settings, exit);
  registerEncounterCommands(program, settings, exit);
  registerCodeCommands(program, settings, exit);
  registerServeCommands(program, settings, exit);
  registerTrainCommands(program, settings, exit);
  return program;
}

export async function runCli(argv: readonly string[]): Promise<void> {
  try {
    await buildProgram().parseAsync([...argv]);
  } catch (err) {
    process.stderr.write(`chartcoder: ${describeError(err)}\n`);
    process.exitCode = err instanceof ChartcoderError ? EXIT_CODES[err.reason] : 1;
  }
}

if (require.main === module) void runCli(process.argv);
