// What the receiver says without being asked: signature-mode warnings, the health field, and stderr by default.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { buddyCatalog, createReceiver, type Logger, receiverConfigFromEnv } from '../../src/index.js';
import type { LogRecord } from '../../src/observability/logger.js';
import type { SignatureMode } from '../../src/receiver/receiver-options.js';
import { buddySample, signedRequest } from '../../src/testing/index.js';
import { send } from '../adapters/http-client.js';

const secret = 'alerts-test-secret-0123456789abcdef';

function capture(): Logger & { lines: { level: string; obj: LogRecord; msg: string | undefined }[] } {
  const lines: { level: string; obj: LogRecord; msg: string | undefined }[] = [];
  const at = (level: string) => (obj: LogRecord, msg?: string) => void lines.push({ level, obj, msg });
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

afterEach(() => vi.restoreAllMocks());

describe('signature modes', () => {
  it.each([
    ['optional', /signature: 'optional' accepts unsigned requests/],
    ['disabled', /signature verification is disabled/],
  ] as const)("'%s' warns once at creation through the logger, and health() reports it", async (signature, text) => {
    const logger = capture();
    const receiver = createReceiver({ secret, signature, logger });
    expect(logger.lines).toEqual([
      { level: 'warn', obj: { operation: 'receiver.config', signature }, msg: expect.stringMatching(text) },
    ]);
    for (let i = 0; i < 3; i++) await receiver.handle({ headers: {}, body: '{}' });
    expect(logger.lines.filter((l) => l.obj.operation === 'receiver.config')).toHaveLength(1);
    expect(receiver.health().signature).toBe(signature);
  });

  it("'required' says nothing, and health() reports it", () => {
    const logger = capture();
    const receiver = createReceiver({ secret, logger });
    expect(logger.lines).toEqual([]);
    expect(receiver.health()).toMatchObject({ status: 'ok', signature: 'required' });
  });

  it('without a logger the warning goes to console.warn; logger: false silences it', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    createReceiver({ signature: 'disabled' });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(/^\[@teei\/event-relay\] signature verification is disabled/);
    createReceiver({ signature: 'optional', secret });
    expect(String(warn.mock.calls[1]?.[0])).toMatch(/signature: 'optional'/);
    createReceiver({ signature: 'disabled', logger: false });
    expect(warn).toHaveBeenCalledTimes(2);
  });

  it.each(['0', 'false', 'FALSE', 'off'])(
    'WEBHOOK_SIGNATURE_VALIDATION_ENABLED=%s leads to the same warning, naming the variable',
    (value) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      const receiver = createReceiver(receiverConfigFromEnv({ WEBHOOK_SIGNATURE_VALIDATION_ENABLED: value }));
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0]?.[0])).toMatch(/WEBHOOK_SIGNATURE_VALIDATION_ENABLED=false/);
      expect(receiver.health().signature).toBe('disabled');
    },
  );

  it('receiverConfigFromEnv refuses a placeholder secret, naming the variable', () => {
    for (const value of ['   ', 'undefined', 'null']) {
      expect(() => receiverConfigFromEnv({ WEBHOOK_SIGNATURE_SECRET: value })).toThrow(
        expect.objectContaining({ name: 'ConfigError', option: 'WEBHOOK_SIGNATURE_SECRET' }),
      );
    }
  });
});

describe('logging by default', () => {
  it('sends a handler error to console.error with its stack and the event, and nothing for 2xx or 4xx', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const receiver = createReceiver({ secret, catalog: buddyCatalog });
    receiver.on('buddy.checkin.completed', () => {
      throw new Error('checkin store down');
    });
    const ok = await signedRequest({ secret });
    const failing = await signedRequest({ secret, type: 'buddy.checkin.completed' });
    const answers = [
      await receiver.handle({ headers: ok.headers, body: ok.body }),
      await receiver.handle({ headers: ok.headers, body: ok.body }),
      await receiver.handle({ headers: { ...ok.headers, 'x-webhook-signature': 'sha256=00' }, body: ok.body }),
      await receiver.handle({ headers: { 'content-type': 'text/plain' }, body: 'x' }),
      await receiver.handle({ headers: failing.headers, body: failing.body }),
    ].map((a) => a.status);
    expect(answers).toEqual([202, 200, 401, 415, 500]);
    expect(warn).not.toHaveBeenCalled();
    expect(error).toHaveBeenCalledTimes(1);
    const [line, err] = error.mock.calls[0] as [string, Error];
    expect(line).toMatch(/^\[@teei\/event-relay\] a handler failed/);
    expect(line).toContain('eventType=buddy.checkin.completed');
    expect(line).toContain(`eventId=${failing.envelope.metadata.id}`);
    expect(err).toBeInstanceOf(Error);
    expect(err.message).toBe('checkin store down');
  });

  it('with a logger of the user, records each failure once (no second line on stderr)', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const logger = capture();
    const receiver = createReceiver({ secret, logger });
    receiver.onAny(() => {
      throw new Error('boom');
    });
    const req = await signedRequest({ secret });
    expect((await receiver.handle({ headers: req.headers, body: req.body })).status).toBe(500);
    expect(error).not.toHaveBeenCalled();
    expect(logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
  });

  it('logger: false says nothing, and onError still hears the failure', async () => {
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const receiver = createReceiver({ secret: 'short', logger: false, signature: 'optional' });
    const heard: Error[] = [];
    receiver.onError((e) => void heard.push(e));
    receiver.onAny(() => {
      throw new Error('boom');
    });
    const req = await signedRequest({ secret: 'short' });
    expect((await receiver.handle({ headers: req.headers, body: req.body })).status).toBe(500);
    expect(error).not.toHaveBeenCalled();
    expect(warn).not.toHaveBeenCalled();
    expect(heard.map((e) => e.message)).toEqual(['boom']);
  });

  it('refuses a logger that is not one, naming the option', () => {
    expect(() => createReceiver({ secret, logger: console.log as never })).toThrow(/logger must be/);
  });
});

// The same, for real: a receiver process started as a user would, its stderr read by the test.
describe('a receiver process, its stderr', () => {
  const script = fileURLToPath(new URL('./fixtures/stderr-receiver.ts', import.meta.url));
  const root = fileURLToPath(new URL('../../', import.meta.url));

  async function run(env: Record<string, string>, traffic: (url: string) => Promise<number[]>) {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      cwd: root,
      env: { ...process.env, ...env, FORCE_COLOR: '0', NODE_OPTIONS: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    try {
      const port = await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no port within 30 s; stderr:\n${stderr}`)), 30_000);
        child.stdout.on('data', (c: Buffer) => {
          stdout += c.toString();
          const match = /listening (\d+)/.exec(stdout);
          if (match) {
            clearTimeout(timer);
            resolve(Number(match[1]));
          }
        });
        void exited.then(() => reject(new Error(`exited early; stderr:\n${stderr}`)));
      });
      const statuses = await traffic(`http://127.0.0.1:${port}`);
      return { statuses, stderr: () => stderr };
    } finally {
      child.kill('SIGTERM');
      const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(kill);
    }
  }

  async function traffic(url: string): Promise<number[]> {
    const ok = await signedRequest({ secret });
    const failing = await signedRequest({
      secret,
      type: 'buddy.checkin.completed',
      data: buddySample('buddy.checkin.completed'),
    });
    const forged = await signedRequest({ secret: 'someone-else-0123456789abcdef-0123' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await send(url, await signedRequest({ secret }))).status);
    statuses.push((await send(url, ok)).status, (await send(url, ok)).status);
    statuses.push((await send(url, forged)).status, (await send(url, { body: 'x' })).status);
    statuses.push((await send(url, failing)).status);
    return statuses;
  }

  it('prints the handler error with its stack, and nothing for normal traffic', async () => {
    const { statuses, stderr } = await run({ RECEIVER_SECRET: secret }, traffic);
    expect(statuses).toEqual([202, 202, 202, 202, 202, 202, 200, 401, 415, 500]);
    await expect.poll(() => stderr()).toMatch(/the database said no/);
    const lines = stderr().trim().split('\n');
    expect(lines[0]).toMatch(/^\[@teei\/event-relay\] a handler failed.*eventType=buddy\.checkin\.completed/);
    expect(stderr()).toMatch(/Error: the database said no \(checkin handler\)\n\s+at /);
    // One record: the first line and the error's stack, nothing per 2xx or 4xx request.
    expect(lines.filter((l) => l.startsWith('[@teei/event-relay]'))).toHaveLength(1);
    expect(stderr()).not.toContain(secret);
  }, 60_000);

  it('prints nothing at all with logger: false', async () => {
    const { statuses, stderr } = await run({ RECEIVER_SECRET: secret, RECEIVER_MODE: 'silent' }, traffic);
    expect(statuses.at(-1)).toBe(500);
    expect(stderr()).toBe('');
  }, 60_000);

  it('prints a weak secret, a disabled signature and a misconfiguration (once)', async () => {
    const weak = await run({ RECEIVER_SECRET: 'test-secret' }, async () => []);
    expect(weak.stderr()).toMatch(/the secret option is shorter than 32 bytes/);
    expect(weak.stderr()).not.toContain('test-secret');

    const disabled = await run(
      { RECEIVER_MODE: 'disabled', WEBHOOK_SIGNATURE_VALIDATION_ENABLED: '0' },
      async () => [],
    );
    expect(disabled.stderr()).toMatch(/signature verification is disabled/);

    const misconfigured = await run({ RECEIVER_SECRET: secret, RECEIVER_MODE: 'express-json' }, async (url) => {
      const statuses: number[] = [];
      for (let i = 0; i < 3; i++) statuses.push((await send(url, await signedRequest({ secret }))).status);
      return statuses;
    });
    expect(misconfigured.statuses).toEqual([500, 500, 500]);
    await expect.poll(() => misconfigured.stderr()).toMatch(/Mount expressReceiver before express.json\(\)/);
    expect(misconfigured.stderr().match(/the receiver is misconfigured/g)).toHaveLength(1);
  }, 90_000);
});

describe('types', () => {
  it('health().signature is the mode', () => {
    const mode: SignatureMode = createReceiver({ secret, logger: false }).health().signature;
    expect(mode).toBe('required');
  });
});
