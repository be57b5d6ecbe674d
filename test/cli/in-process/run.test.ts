// `run(argv, io)` in this process: help, usage, version, unknown commands, colours and how each way a command ends
// becomes an exit code. The built bin's own tests (test/cli/cli.test.ts) check the same contract from outside.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { processIo } from '../../../src/cli/io.js';
import { ROOT } from '../built-cli.js';
import { runCli } from '../memory-io.js';

const COMMANDS = ['sign', 'verify', 'send', 'listen', 'dlq list', 'dlq redrive', 'keys generate', 'check'];
const ANSI = '\x1b[';
const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const dir = mkdtempSync(join(tmpdir(), 'event-relay-cli-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('run: --version and help', () => {
  it('prints the version of package.json for --version and -v', async () => {
    for (const flag of ['--version', '-v']) {
      expect(await runCli([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
    }
  });

  it('lists every command on stdout for --help, -h and help; on stderr with exit 2 for no command', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const run = await runCli(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe('');
      expect(run.stdout).toContain(`event-relay ${version}: sign, verify, send, receive and check webhooks`);
      for (const name of COMMANDS) expect(run.stdout).toMatch(new RegExp(`^  ${name} +\\S`, 'm'));
      expect(run.stdout).toContain('WEBHOOK_SIGNATURE_VALIDATION_ENABLED');
    }
    const bare = await runCli([]);
    expect(bare.code).toBe(2);
    expect(bare.stdout).toBe('');
    expect(bare.stderr).toContain('Usage: event-relay <command> [flags]');
  });

  it.each(COMMANDS)('%s --help: usage, arguments, flags with their defaults and variables, examples', async (name) => {
    const run = await runCli([...name.split(' '), '--help']);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(new RegExp(`^Usage: event-relay ${name}( \\S+)* \\[flags\\]$`, 'm'));
    expect(run.stdout).toMatch(/^ {2}-h, --help +show this help$/m);
    expect(run.stdout).toContain('Examples:\n  event-relay ');
    expect(run.stdout).toContain('Exit codes: 0 success, 1 failure, 2 bad usage.');
  });

  it('shows positionals, choices, defaults, variables and repeatable flags in a command help', async () => {
    const sign = (await runCli(['sign', '--help'])).stdout;
    expect(sign).toContain('Usage: event-relay sign [file] [flags]');
    expect(sign).toMatch(/^Arguments:\n {2}file {2}the body to sign; - or absent: stdin$/m);
    expect(sign).toMatch(/^ {2}-s, --secret <secret> +the shared secret; repeat it to sign with each \(rotation\)$/m);
    expect(sign).toMatch(/^ +env CSR_WEBHOOK_SECRET; repeatable$/m);
    expect(sign).toMatch(
      /^ +one of teei-v1, standard-webhooks, buddy-connector, sha256-body; default teei-v1; env CSR_WEBHOOK_SCHEME$/m,
    );
    const list = (await runCli(['dlq', 'list', '--help'])).stdout;
    expect(list).toContain('Usage: event-relay dlq list <file> [flags]');
    // A command without positionals has no Arguments section.
    expect((await runCli(['keys', 'generate', '--help'])).stdout).not.toContain('Arguments:');
  });

  it('answers help <command>, and -h anywhere before -- but not after it', async () => {
    const help = (await runCli(['dlq', 'list', '--help'])).stdout;
    expect(await runCli(['help', 'dlq', 'list'])).toEqual({ code: 0, stdout: help, stderr: '' });
    expect((await runCli(['dlq', 'list', 'x.jsonl', '--json', '-h'])).stdout).toBe(help);
    // After --, -h is the file to sign.
    const after = await runCli(['sign', '--secret', 'a-secret', '--', '-h'], { stdin: '{}' });
    expect(after.code).toBe(1);
    expect(after.stderr).toBe('event-relay sign: -h: no such file\n');
  });

  it('lists the subcommands of a group: on stderr with exit 2 alone, on stdout with --help', async () => {
    for (const group of ['dlq', 'keys']) {
      const bare = await runCli([group]);
      expect(bare.code).toBe(2);
      expect(bare.stdout).toBe('');
      expect(bare.stderr).toContain(`Usage: event-relay ${group} <command> [flags]`);
      expect(bare.stderr).toContain(`Run "event-relay ${group} <command> --help" for the flags of each.`);
      for (const flag of ['--help', '-h']) {
        const help = await runCli([group, flag]);
        expect(help.code).toBe(0);
        expect(help.stdout).toBe(bare.stderr);
      }
    }
    expect((await runCli(['help', 'dlq'])).stdout).toContain('dlq redrive');
  });
});

describe('run: bad usage exits 2 with a pointer to the help', () => {
  it.each([
    [['sing'], 'event-relay: unknown command "sing" (did you mean "sign"?)', '--help'],
    [['lisen'], 'unknown command "lisen" (did you mean "listen"?)', '--help'],
    [['zzz'], 'unknown command "zzz"; commands: sign, verify, send, listen, dlq, keys, check', '--help'],
    [['dlq', 'purge'], 'event-relay dlq: unknown command "dlq purge"', 'dlq --help'],
    [['sign', '--secrte', 'x'], "event-relay sign: Unknown option '--secrte'", 'sign --help'],
    [['verify', '--tolerance'], "Option '--tolerance <value>' argument missing", 'verify --help'],
    [['sign', '--scheme', 'hmac'], '--scheme must be one of teei-v1, standard-webhooks', 'sign --help'],
    [['sign', 'a.json', 'b.json', '--secret', 'x'], 'unexpected argument "b.json"', 'sign --help'],
    [['dlq', 'list'], 'event-relay dlq list: missing <file>', 'dlq list --help'],
  ])('%j', async (args, message, help) => {
    const run = await runCli(args);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain(`\nRun "event-relay ${help}" for usage.\n`);
  });

  it('names the variable a bad value came from, and shows the value (it is not a secret)', async () => {
    const run = await runCli(['sign'], { env: { CSR_WEBHOOK_SECRET: 's', CSR_WEBHOOK_SCHEME: 'v2' }, stdin: '{}' });
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(
      'event-relay sign: CSR_WEBHOOK_SCHEME must be one of teei-v1, standard-webhooks, buddy-connector, sha256-body, got "v2"',
    );
  });

  it("turns the library's ConfigError into exit 2 with its message", async () => {
    const run = await runCli(['sign', '--secret', 'undefined'], { stdin: '{}' });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^event-relay sign: secret is the placeholder an unset value turns into/);
    expect(run.stderr).toContain('Run "event-relay sign --help" for usage.');
  });

  it('turns a failure into exit 1 with a one-line message and no stack', async () => {
    const run = await runCli(['sign', join(dir, 'missing.json'), '--secret', 'a-secret']);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `event-relay sign: ${join(dir, 'missing.json')}: no such file\n`,
    });
  });
});

describe('run: colours', () => {
  it('colours a terminal and never a pipe; FORCE_COLOR forces them, NO_COLOR and TERM=dumb turn them off', async () => {
    expect((await runCli(['--help'])).stdout).not.toContain(ANSI);
    expect((await runCli(['--help'], { isTTY: true })).stdout).toContain(`${ANSI}1mUsage: event-relay`);
    expect((await runCli(['--help'], { isTTY: true, env: { NO_COLOR: '1' } })).stdout).not.toContain(ANSI);
    expect((await runCli(['--help'], { isTTY: true, env: { TERM: 'dumb' } })).stdout).not.toContain(ANSI);
    expect((await runCli(['--help'], { env: { FORCE_COLOR: '1' } })).stdout).toContain(ANSI);
    expect((await runCli(['--help'], { isTTY: true, env: { FORCE_COLOR: '0' } })).stdout).not.toContain(ANSI);
    expect((await runCli(['--help'], { env: { FORCE_COLOR: 'false' } })).stdout).not.toContain(ANSI);
    // An error on a terminal: its prefix in red.
    const bad = await runCli(['sing'], { isTTY: true });
    expect(bad.stderr.startsWith(`${ANSI}31mevent-relay:${ANSI}39m unknown command`)).toBe(true);
  });
});

describe('processIo', () => {
  it("binds the process's own streams and environment", () => {
    const io = processIo();
    expect(io.env).toBe(process.env);
    expect(io.stdin).toBe(process.stdin);
    expect(io.stdout.isTTY).toBe(process.stdout.isTTY === true);
    expect(io.stdout.columns).toBeGreaterThan(0);
    const write = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      io.stderr.write('to the real stderr\n');
      expect(write).toHaveBeenCalledWith('to the real stderr\n');
    } finally {
      write.mockRestore();
    }
  });

  it('aborts `interrupted` on SIGTERM, installing its handlers only on first use and removing them after', () => {
    const before = process.listenerCount('SIGTERM');
    const io = processIo();
    expect(process.listenerCount('SIGTERM')).toBe(before);
    const signal = io.interrupted;
    expect(io.interrupted).toBe(signal);
    expect(process.listenerCount('SIGTERM')).toBe(before + 1);
    expect(signal.aborted).toBe(false);
    // Only this handler may see the event: another listener would be a test runner's own.
    const others = process.listeners('SIGTERM').slice(0, before);
    for (const other of others) process.off('SIGTERM', other);
    try {
      process.emit('SIGTERM', 'SIGTERM');
    } finally {
      for (const other of others) process.on('SIGTERM', other);
    }
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBe('SIGTERM');
    expect(process.listenerCount('SIGTERM')).toBe(before);
  });
});
