/**
 * The one thing the Redis stores need from a client: send a command, get its reply. node-redis (`redis` ≥ 4) and
 * ioredis (≥ 5) are recognised by shape, so the package imports neither; any other client fits through a one-line
 * adapter function.
 *
 * @module
 */

/**
 * A client of node-redis (`redis` ≥ 4): what `createClient()` returns, connected.
 *
 * @example
 * ```ts
 * import { createClient } from 'redis'
 * const client: NodeRedisClientLike = await createClient({ url: 'redis://127.0.0.1:6379' }).connect()
 * ```
 */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/**
 * A client of ioredis (≥ 5): `new Redis()` or `new Cluster()`.
 *
 * @example
 * ```ts
 * import { Redis } from 'ioredis'
 * const client: IoRedisClientLike = new Redis('redis://127.0.0.1:6379')
 * ```
 */
export interface IoRedisClientLike {
  call(command: string, ...args: string[]): Promise<unknown>;
}

/**
 * An adapter for any other client: runs one command given as its words and resolves with Redis's reply. `key` is
 * the one key the command touches, for a cluster client that routes by key.
 *
 * @example
 * ```ts
 * import { createCluster } from 'redis'
 * const cluster = await createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }).connect()
 * const command: RedisCommand = (args, key) => cluster.sendCommand(key, false, [...args])
 * ```
 */
export type RedisCommand = (args: readonly string[], key: string) => Promise<unknown>;

/**
 * What the Redis stores accept as `client`.
 *
 * @example `redisIdempotencyStore({ client: new Redis() }) // or createClient(), or (args, key) => …`
 */
export type RedisClientLike = NodeRedisClientLike | IoRedisClientLike | RedisCommand;

/**
 * @internal The client as a {@link RedisCommand}. ioredis is checked first: it has a `sendCommand` too, which takes
 * a command object rather than an array.
 *
 * @throws {TypeError} naming `client` when it is none of the three shapes.
 */
export function redisCommand(client: RedisClientLike, owner: string): RedisCommand {
  if (typeof client === 'function') return client;
  const c = client as Partial<IoRedisClientLike & NodeRedisClientLike> | null | undefined;
  if (typeof c?.call === 'function') {
    const io = c as IoRedisClientLike;
    return (args) => io.call(args[0] as string, ...args.slice(1));
  }
  if (typeof c?.sendCommand === 'function') {
    const node = c as NodeRedisClientLike;
    return (args) => node.sendCommand([...args]);
  }
  throw new TypeError(
    `${owner}: client must be a node-redis client (createClient()), an ioredis client (new Redis()), or a function (args, key) => Promise of the reply; got ${client === null ? 'null' : typeof client}`,
  );
}
