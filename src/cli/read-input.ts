/**
 * Reads what a command works on: a file, or stdin when the file is `-` or absent.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { CliFailure, UsageError } from './cli-errors.js';
import type { CliIo } from './io.js';

/**
 * The exact bytes of `path`, or of stdin for `-` or `undefined`.
 *
 * @throws {UsageError} when stdin is a terminal (nothing was piped in) and no file was named.
 * @throws {CliFailure} when the file cannot be read.
 * @example `const body = await readInput('sign', args.positionals[0], io)`
 */
export async function readInput(command: string, path: string | undefined, io: CliIo): Promise<Buffer> {
  if (path === undefined || path === '-') {
    if (io.stdin.isTTY) throw new UsageError(command, 'give a file, or pipe the body into stdin');
    const chunks: Buffer[] = [];
    for await (const chunk of io.stdin) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
    return Buffer.concat(chunks);
  }
  return readFileOrFail(path);
}

/**
 * The bytes of a file, or a one-line failure saying why it cannot be read.
 *
 * @throws {CliFailure} `<path>: no such file`, `<path> is a directory` …
 * @example `const text = (await readFileOrFail(flags.headers)).toString('utf8')`
 */
export async function readFileOrFail(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    throw new CliFailure(fileProblem(path, error), { cause: error });
  }
}

/**
 * A one-line reason for a failed file operation.
 *
 * @example `fileProblem('./x.jsonl', error) // './x.jsonl: no such file'`
 */
export function fileProblem(path: string, error: unknown): string {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EISDIR') return `${path} is a directory, not a file`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied`;
  return `${path}: ${(error as Error | undefined)?.message ?? String(error)}`;
}
