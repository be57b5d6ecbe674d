/**
 * Every command of `event-relay`, in the order the help lists them.
 *
 * @module
 */
import type { Command } from './command.js';
import { checkCommand } from './commands/check.js';
import { dlqListCommand } from './commands/dlq-list.js';
import { dlqRedriveCommand } from './commands/dlq-redrive.js';
import { keysGenerateCommand } from './commands/keys-generate.js';
import { listenCommand } from './commands/listen.js';
import { sendCommand } from './commands/send.js';
import { signCommand } from './commands/sign.js';
import { verifyCommand } from './commands/verify.js';

/**
 * The commands, by their full name (`dlq list`).
 *
 * @example `COMMANDS.find((c) => c.name === 'sign')`
 */
export const COMMANDS: readonly Command[] = [
  signCommand,
  verifyCommand,
  sendCommand,
  listenCommand,
  dlqListCommand,
  dlqRedriveCommand,
  keysGenerateCommand,
  checkCommand,
];
