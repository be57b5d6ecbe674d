// The built `event-relay` as a user meets it: --help everywhere, --version, exit codes for bad usage, colours only
// on a terminal. Each command's own behaviour is tested in its file.
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliConfig } from '../../tsup.config.js';
import { builtCli, cleanEnv, cli, ROOT } from './built-cli.js';

const COMMANDS = ['sign', 'verify', 'send', 'listen', 'dlq list', 'dlq redrive', 'keys generate', 'check'];
const ANSI = '\x1b[';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  files: string[];
};

beforeAll(async () => {
  await builtCli();
}, 120_000);

describe('event-relay --help and --version', () => {
  it('prints the version of package.json', async () => {
    for (const flag of ['--version', '-v']) {
      const run = await cli([flag]);
      expect(run.code).toBe(0);
      expect(run.stdout).toBe(`${pkg.version}\n`);
    }
  });

  it('lists every command with --help, -h and help (exit 0), and on stderr with no command (exit 2)', async () => {
    for (const args of [['--help'], ['help']]) {
      const run = await cli(args);
      expect(run.code).toBe(0);
      for (const name of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(run.stdout).toContain('CSR_WEBHOOK_SECRET');
      expect(run.stdout).toContain('Exit codes: 0 success, 1 failure, 2 bad usage.');
    }
    const bare = await cli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Usage: event-relay <command>');
  });

  it.each(COMMANDS)('%s --help prints its usage, flags and examples, and exits 0', async (name) => {
    const run = await cli([...name.split(' '), '--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Usage: event-relay ${name}`);
    expect(run.stdout).toContain('Flags:');
    expect(run.stdout).toContain('Examples:');
    expect(run.stdout).toMatch(/-h, --help +show this help/);
    expect(run.stderr).toBe('');
  });

  it('answers help <command> and -h anywhere before --, like --help', async () => {
    const help = (await cli(['dlq', 'list', '--help'])).stdout;
    expect((await cli(['help', 'dlq', 'list'])).stdout).toBe(help);
    expect((await cli(['dlq', 'list', 'x.jsonl', '--json', '-h'])).stdout).toBe(help);
  });

  it('names the variable each flag defaults to', async () => {
    const send = (await cli(['send', '--help'])).stdout;
    for (const variable of [
      'CSR_WEBHOOK_URL',
      'CSR_WEBHOOK_SECRET',
      'CSR_WEBHOOK_SCHEME',
      'CSR_WEBHOOK_RETRY_ATTEMPTS',
      'CSR_WEBHOOK_RETRY_BACKOFF_MS',
      'CSR_WEBHOOK_TIMEOUT_MS',
    ]) {
      expect(send).toContain(`env ${variable}`);
    }
    expect((await cli(['verify', '--help'])).stdout).toContain('env WEBHOOK_SIGNATURE_SECRET');
    expect((await cli(['listen', '--help'])).stdout).toContain('WEBHOOK_SIGNATURE_VALIDATION_ENABLED');
  });
});

describe('event-relay bad usage exits 2', () => {
  it('lists the subcommands of dlq and keys: on stderr with exit 2 without one, on stdout with --help', async () => {
    for (const group of ['dlq', 'keys']) {
      const bare = await cli([group]);
      expect(bare.code).toBe(2);
      expect(bare.stderr).toContain(`Usage: event-relay ${group} <command>`);
      const help = await cli([group, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: event-relay ${group} <command>`);
    }
    const unknown = await cli(['dlq', 'purge']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "dlq purge"');
  });

  it.each([
    [['sing'], 'unknown command "sing" (did you mean "sign"?)'],
    [['sign', '--secrte', 'x'], "Unknown option '--secrte'"],
    [['sign', '--scheme', 'hmac'], '--scheme must be one of teei-v1, standard-webhooks, buddy-connector, sha256-body'],
    [['sign', 'a.json', 'b.json', '--secret', 'x'], 'unexpected argument "b.json"'],
    [['dlq', 'list'], 'missing <file>'],
    [['verify', '--tolerance'], "Option '--tolerance <value>' argument missing"],
  ])('%j', async (args, message) => {
    const run = await cli(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).toMatch(/Run "event-relay [a-z ]*--help" for usage\./);
    expect(run.stdout).toBe('');
  });

  it('refuses a bad value from a variable by the variable name', async () => {
    const run = await cli(['sign', '-'], { env: { CSR_WEBHOOK_SECRET: 's', CSR_WEBHOOK_SCHEME: 'v2' }, input: '{}' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('CSR_WEBHOOK_SCHEME must be one of');
  });
});

describe('event-relay colours', () => {
  it('prints no colour codes on a pipe, unless FORCE_COLOR; NO_COLOR always wins', async () => {
    expect((await cli(['--help'])).stdout).not.toContain(ANSI);
    expect((await cli(['--help'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ANSI);
    expect((await cli(['--help'], { env: { FORCE_COLOR: '1', NO_COLOR: '1' } })).stdout).not.toContain(ANSI);
  });

  it('colours a terminal, unless NO_COLOR is set', async () => {
    // script(1) runs the command on a pseudo-terminal, as a user's shell does.
    const bin = await builtCli();
    const onTerminal = async (env: Record<string, string>): Promise<string> => {
      const { stdout } = await promisify(execFile)(
        'script',
        ['-qec', `${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} --help`, '/dev/null'],
        { env: cleanEnv({ TERM: 'xterm', ...env }) },
      );
      return stdout;
    };
    const coloured = await onTerminal({});
    expect(coloured).toContain('Usage: event-relay');
    expect(coloured).toContain(ANSI);
    expect(await onTerminal({ NO_COLOR: '1' })).not.toContain(ANSI);
  });
});

describe('the bin in the package', () => {
  it('is the file the build writes, an ESM script with a shebang', async () => {
    const out = Object.keys(cliConfig.entry)[0];
    expect(pkg.bin).toEqual({ 'event-relay': `./${cliConfig.outDir}/${out}.js` });
    expect(pkg.files).toContain('dist');
    expect(cliConfig.format).toEqual(['esm']);
    expect(readFileSync(await builtCli(), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('src/cli reaches the library through its public entries only', () => {
    // The root entry, ./node, ./testing and ./buddy: what users import, so the CLI sees the library as they do.
    const allowed = new Set(['../index.js', '../../index.js', '../adapters/node.js', '../../adapters/node.js']);
    allowed.add('../testing/index.js').add('../../testing/index.js');
    allowed.add('../catalog/buddy.js').add('../../catalog/buddy.js');
    const files = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
        e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)],
      );
    const bad: string[] = [];
    for (const file of files(join(ROOT, 'src/cli'))) {
      const text = readFileSync(file, 'utf8');
      for (const [, spec] of text.matchAll(/from '([^']+)'/g)) {
        const outside = spec!.startsWith('../') && !spec!.startsWith('../cli');
        const inCommands = file.includes('/cli/commands/') || file.includes('/cli/check/');
        const leavesCli = inCommands ? spec!.startsWith('../../') : outside;
        if (leavesCli && !allowed.has(spec!)) bad.push(`${file.slice(ROOT.length)}: ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
