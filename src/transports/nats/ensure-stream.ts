/**
 * Creates or updates the JetStream stream that stores the events, idempotently: safe to call on every start of
 * every instance.
 *
 * @module
 */
import { jetstreamManager, type StreamConfig, type StreamInfo, type StreamUpdateConfig } from '@nats-io/jetstream';
import { type NatsConnection, nanos } from '@nats-io/transport-node';

/**
 * Options of {@link ensureStream}.
 *
 * @example
 * ```ts
 * const options: EnsureStreamOptions = { subjects: ['buddy.>'], config: { max_age: 7 * 24 * 3600 * 1e9 } }
 * ```
 */
export interface EnsureStreamOptions {
  /** Stream name. @default 'BUDDY_EVENTS' */
  name?: string;
  /** Subjects the stream captures; the transport publishes on the event type by default. @default ['buddy.>'] */
  subjects?: readonly string[];
  /**
   * How long the stream remembers a `msgID` to drop a re-published delivery. Cover your longest retry schedule
   * (the publisher's default, 1 + 2 + 4 + 8 + 16 s plus timeouts, fits in the default).
   * @default 120000
   */
  duplicateWindowMs?: number;
  /**
   * Copies of every message (the stream's `num_replicas`): 3 on a 3-node cluster, so the stream survives the loss
   * of a node; 1 on a single server. Odd numbers up to 5. Applied on creation; an existing stream changes only when
   * you give it (the server moves the copies itself).
   * @default 1 on creation; an existing stream keeps its value
   */
  replicas?: number;
  /**
   * Any other stream setting, in the server's own names (`max_age` in nanoseconds, `max_bytes`, `num_replicas`,
   * `storage`, `retention`…). Only the keys you give are set; the rest keep the server's defaults or their
   * current values.
   * @default {}
   */
  config?: Partial<Omit<StreamConfig, 'name' | 'subjects' | 'duplicate_window'>>;
}

/**
 * Defaults of {@link EnsureStreamOptions}.
 *
 * @example
 * ```ts
 * await natsConsumer({ connection: nc, stream: DEFAULT_STREAM_OPTIONS.name, durable: 'csr', receiver })
 * ```
 */
export const DEFAULT_STREAM_OPTIONS = Object.freeze({
  name: 'BUDDY_EVENTS',
  subjects: Object.freeze(['buddy.>']) as readonly string[],
  duplicateWindowMs: 120_000,
  replicas: 1,
});

/**
 * Creates the stream when it is missing, updates it when a setting you gave differs, and otherwise leaves it
 * alone. Returns the stream's info.
 *
 * @throws TypeError on a bad option; the server's error when it refuses the configuration (storage type and
 *   retention cannot change on an existing stream)
 * @example
 * ```ts
 * const nc = await connect({ servers: process.env.NATS_URL ?? '127.0.0.1:4222', maxReconnectAttempts: -1, reconnectTimeWait: 500 })
 * const info = await ensureStream(nc, { name: 'BUDDY_EVENTS', subjects: ['buddy.>'], duplicateWindowMs: 120_000, replicas: 3 })
 * console.log(info.state.messages)
 * ```
 */
export async function ensureStream(connection: NatsConnection, options: EnsureStreamOptions = {}): Promise<StreamInfo> {
  const name = options.name ?? DEFAULT_STREAM_OPTIONS.name;
  const subjects = [...(options.subjects ?? DEFAULT_STREAM_OPTIONS.subjects)];
  const windowMs = options.duplicateWindowMs ?? DEFAULT_STREAM_OPTIONS.duplicateWindowMs;
  if (typeof name !== 'string' || !/^[^.*>\s]+$/.test(name)) {
    throw new TypeError('ensureStream: `name` must be a non-empty string without dots, wildcards or spaces');
  }
  if (subjects.length === 0 || subjects.some((s) => typeof s !== 'string' || s.length === 0)) {
    throw new TypeError('ensureStream: `subjects` must be a non-empty list of subjects');
  }
  if (!Number.isInteger(windowMs) || windowMs <= 0) {
    throw new TypeError('ensureStream: `duplicateWindowMs` must be a positive integer of milliseconds');
  }
  const replicas = options.replicas;
  if (replicas !== undefined && !(Number.isInteger(replicas) && replicas >= 1 && replicas <= 5)) {
    throw new TypeError('ensureStream: `replicas` must be an integer from 1 to 5 (3 on a 3-node cluster)');
  }
  const configured = options.config?.num_replicas;
  if (replicas !== undefined && configured !== undefined && configured !== replicas) {
    throw new TypeError('ensureStream: `replicas` and `config.num_replicas` differ: give only `replicas`');
  }
  const wanted: Record<string, unknown> = {
    ...options.config,
    subjects,
    duplicate_window: nanos(windowMs),
    ...(replicas !== undefined && { num_replicas: replicas }),
  };
  const jsm = await jetstreamManager(connection);
  const current = await jsm.streams.info(name).catch((error: unknown) => {
    if (error instanceof Error && error.name === 'StreamNotFoundError') return undefined;
    throw error;
  });
  if (current === undefined) {
    try {
      return await jsm.streams.add({ num_replicas: DEFAULT_STREAM_OPTIONS.replicas, ...wanted, name });
    } catch (error) {
      // Another instance created it between our info and add: fall through to the update check.
      if (!(error instanceof Error && /already in use/i.test(error.message))) throw error;
    }
    return ensureUpdated(jsm, name, wanted, await jsm.streams.info(name));
  }
  return ensureUpdated(jsm, name, wanted, current);
}

type Manager = Awaited<ReturnType<typeof jetstreamManager>>;

async function ensureUpdated(
  jsm: Manager,
  name: string,
  wanted: Record<string, unknown>,
  current: StreamInfo,
): Promise<StreamInfo> {
  const config = current.config as unknown as Record<string, unknown>;
  const differs = Object.keys(wanted).some((key) => !sameValue(wanted[key], config[key]));
  return differs ? jsm.streams.update(name, wanted as Partial<StreamUpdateConfig>) : current;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) {
    // Subject lists are sets: order does not matter.
    return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    return JSON.stringify(a) === JSON.stringify(b);
  }
  return a === b;
}
