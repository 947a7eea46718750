import { config as loadDotenv } from 'dotenv';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { loadConfig } from '../config/config.ts';
import { isPolicyBotError } from '../errors.ts';
import { askCommand, evalByDocumentCommand, evalCommand } from './commands-ask.ts';
import { docsCommand, ingestCommand, showCommand } from './commands-corpus.ts';
import { processIO, type CliIO } from './io.ts';

const USAGE = `policybot — 政策问答机器人

usage: policybot <command> [options]

  start                       run the configured chat adapters (terminal chat when none)
  chat                        terminal chat over the corpus
  ask [--json] [--top N] [Q]  answer Q, or one question per line of stdin
  ingest [--replace] PATH...  add bulletin or document files (a folder: its documents) to the data
                              directory, all or nothing; --replace replaces a stored 文号/title/issue
  docs [--json]               list issues and documents
  show <文号|title> [clause]   a document outline, or one clause with its citation
  eval [FILE]                 evaluate a question file (top-1, top-3, MRR per kind)
  eval --by-document [FILE...] leave-one-document-out over the training set (+ FILEs)
  push --once [--dry-run]     run one new-issue push cycle now
  subscribers                 subscriber counts per channel and topic
  serve [--port N]            staff console and HTTP API (POLICYBOT_HTTP_PORT, default 8080)

environment: POLICYBOT_DATA_DIR (default ./data); see .env.example for the rest.
`;

/** Runs one CLI invocation and returns its exit code (the only place that decides one). */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig(io.env);
  const dataDir = config.POLICYBOT_DATA_DIR;
  const parse = (options: ParseArgsConfig['options']) => parseArgs({ args: rest, options: options ?? {}, allowPositionals: true, strict: true });
  switch (command) {
    case 'ingest': {
      const a = parse({ replace: { type: 'boolean' } });
      return ingestCommand(io, dataDir, a.positionals, { replace: a.values.replace === true });
    }
    case 'docs':
      return docsCommand(io, dataDir, Boolean(parse({ json: { type: 'boolean' } }).values.json));
    case 'show':
      return showCommand(io, dataDir, parse({}).positionals);
    case 'ask': {
      const { values, positionals } = parse({ json: { type: 'boolean' }, top: { type: 'string' } });
      const top = values.top === undefined ? (values.json ? 5 : 1) : Number(values.top);
      if (!Number.isInteger(top) || top < 1 || top > 50) {
        io.err('--top expects a whole number from 1 to 50\n');
        return 2;
      }
      const question = positionals.length > 0 ? positionals.join(' ') : undefined;
      return askCommand(io, dataDir, { json: Boolean(values.json), top, ...(question !== undefined ? { question } : {}) });
    }
    case 'eval': {
      const { values, positionals } = parse({ 'by-document': { type: 'boolean' } });
      if (values['by-document']) return evalByDocumentCommand(io, positionals);
      return evalCommand(io, dataDir, positionals[0]);
    }
    case 'chat':
    case 'start':
    case 'push':
    case 'serve':
    case 'subscribers': {
      const { runAppCommand } = await import('./commands-app.ts');
      return runAppCommand(command, rest, io, config);
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return command === undefined ? 2 : 0;
    default:
      io.err(`unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

const isMain = process.argv[1] && import.meta.url.endsWith(process.argv[1].replace(/\\/g, '/').split('/').pop()!);
if (isMain) {
  // .env fills in what the environment lacks; quiet, because `ask --json` owns stdout
  loadDotenv({ quiet: true });
  // `policybot ask … | head`: the reader has gone, so there is nobody left to answer; leave quietly
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code !== 'EPIPE') throw e;
      process.exit(process.exitCode ?? 0);
    });
  }
  const io = processIO();
  runCli(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      const usage = e instanceof TypeError && /^ERR_PARSE_ARGS/.test(String((e as { code?: string }).code ?? ''));
      if (isPolicyBotError(e)) io.err(`${e.code}: ${e.message}\n`);
      else if (usage) io.err(`${e.message}\n\n${USAGE}`);
      else io.err(`unexpected error: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = usage || (isPolicyBotError(e) && e.code === 'USAGE') ? 2 : 1;
    },
  );
}
