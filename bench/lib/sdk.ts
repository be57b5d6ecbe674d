/**
 * The one place the benchmarks import this SDK from: the TypeScript sources, run through tsx (no build step, always
 * the code in the checkout). tsx only transpiles (esbuild, no down-levelling on Node 20), so the code that runs is
 * the same as the tsup build's.
 *
 * @module
 */
export { expressReceiver } from '../../src/adapters/express.js';
export { fastifyReceiver } from '../../src/adapters/fastify.js';
export { honoReceiver } from '../../src/adapters/hono.js';
export { nodeReceiver } from '../../src/adapters/node.js';
export { type BuddyCatalog, BuddyCheckinCompletedSchema } from '../../src/catalog/buddy.js';
export type { Outbox, Publisher } from '../../src/index.js';
export {
  buddyCatalog,
  createEnvelope,
  createPublisher,
  createReceiver,
  createSigner,
  createVerifier,
  fileOutbox,
  httpTransport,
  memoryIdempotencyStore,
  memoryOutbox,
  serializeEvent,
  sign,
  verify,
} from '../../src/index.js';
export type { FileOutbox } from '../../src/stores/file/file-outbox.js';
export {
  ensureIdempotencyTable,
  ensureOutboxTable,
  postgresIdempotencyStore,
  postgresOutbox,
} from '../../src/stores/postgres.js';
export { type RedisClientLike, redisIdempotencyStore } from '../../src/stores/redis.js';
export { ensureStream, natsConsumer, natsTransport } from '../../src/transports/nats.js';
