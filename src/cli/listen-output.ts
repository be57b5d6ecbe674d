/**
 * What `listen` prints: one line per answer, read from the HTTP answer itself (status and JSON body, what the
 * sender sees), and the event an accepted request carried.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EventEnvelope } from '../index.js';
import type { Palette } from './colors.js';

/**
 * One answer of the receiver.
 *
 * @example `const answer: Answer = { status: 401, method: 'POST', path: '/webhooks/buddy-events', error: 'invalid_signature' }`
 */
export interface Answer {
  readonly status: number;
  readonly method: string;
  readonly path: string;
  readonly remoteAddress: string | undefined;
  readonly eventId?: string;
  readonly duplicate?: boolean;
  readonly error?: string;
  readonly message?: string;
  readonly issues?: readonly { readonly path: readonly (string | number)[]; readonly message: string }[];
}

/**
 * Calls `onAnswer` once the answer to `req` is sent. The body is taken from the `end()` call the adapter makes:
 * the receiver's answers are one JSON string written at once.
 *
 * @example `createServer((req, res) => { watchAnswers(req, res, print); handler(req, res) })`
 */
export function watchAnswers(req: IncomingMessage, res: ServerResponse, onAnswer: (answer: Answer) => void): void {
  let body: unknown;
  const end = res.end;
  res.end = function (this: ServerResponse, ...args: unknown[]) {
    if (typeof args[0] === 'string' || args[0] instanceof Uint8Array) body = args[0];
    return (end as (...a: unknown[]) => ServerResponse).apply(this, args);
  } as ServerResponse['end'];
  res.once('finish', () => {
    let fields: Partial<Answer> = {};
    try {
      fields = JSON.parse(String(body ?? '')) as Partial<Answer>;
    } catch {}
    onAnswer({
      ...(typeof fields.eventId === 'string' ? { eventId: fields.eventId } : {}),
      ...(fields.duplicate === true ? { duplicate: true } : {}),
      ...(typeof fields.error === 'string' ? { error: fields.error } : {}),
      ...(typeof fields.message === 'string' ? { message: fields.message } : {}),
      ...(Array.isArray(fields.issues) ? { issues: fields.issues } : {}),
      status: res.statusCode,
      method: req.method ?? 'GET',
      path: (req.url ?? '/').split('?')[0]!,
      remoteAddress: req.socket.remoteAddress,
    });
  });
}

/**
 * `10:31:02.123  202  buddy.match.created  <id>`, or the refusal with its reason.
 *
 * @example `log.write(answerLine(answer, event, '/webhooks/buddy-events', color) + '\n')`
 */
export function answerLine(answer: Answer, event: EventEnvelope | undefined, path: string, color: Palette): string {
  const time = color.dim(new Date().toISOString().slice(11, 23));
  const { status } = answer;
  const code =
    status < 300
      ? color.green(String(status))
      : status < 500
        ? color.yellow(String(status))
        : color.red(String(status));
  if (status === 202 && event !== undefined) return `${time}  ${code}  ${color.bold(event.type)}  ${event.metadata.id}`;
  if (answer.duplicate) return `${time}  ${code}  duplicate of ${answer.eventId}: acknowledged, not handled again`;
  if (status === 404)
    return `${time}  ${code}  ${answer.method} ${answer.path}: nothing here (events go to POST ${path})`;
  if (answer.method === 'GET') return `${time}  ${code}  GET ${answer.path}`;
  // The library's messages already name the fields; another receiver's may not.
  const issues = (answer.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const detail = issues !== '' && !answer.message?.includes(issues) ? issues : undefined;
  const reason = [answer.error, answer.message, detail].filter((part) => part !== undefined && part !== '').join(': ');
  const from = answer.remoteAddress === undefined ? '' : color.dim(` (from ${answer.remoteAddress})`);
  return `${time}  ${code}  ${reason}${from}`;
}

/**
 * The event's data, as indented JSON, under its time and correlation id.
 *
 * @example `io.stdout.write(eventBlock(event, color) + '\n')`
 */
export function eventBlock(event: EventEnvelope, color: Palette): string {
  const { timestamp, correlationId, source } = event.metadata;
  const meta = [`at ${timestamp}`, source && `from ${source}`, correlationId && `correlation ${correlationId}`];
  const head = `  ${color.dim(meta.filter(Boolean).join(' · '))}`;
  const data = JSON.stringify(event.data, null, 2)
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
  return `${head}\n${data}`;
}
