/**
 * A file that must already exist. The library's `fileDeadLetterQueue` reads a missing file as an empty queue (right
 * for a publisher starting fresh); at the command line a missing file is more likely a typo.
 *
 * @module
 */
import { stat } from 'node:fs/promises';
import { CliFailure } from './cli-errors.js';
import { fileProblem } from './read-input.js';

/**
 * `path`, once checked to be a file.
 *
 * @throws {CliFailure} when it does not exist or is not a file.
 * @example `const path = await existingFile(positionals[0])`
 */
export async function existingFile(path: string): Promise<string> {
  try {
    if ((await stat(path)).isFile()) return path;
    throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
  } catch (error) {
    throw new CliFailure(fileProblem(path, error), { cause: error });
  }
}
