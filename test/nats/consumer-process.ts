// A consumer instance in its own process, for the replica tests: natsConsumer on a shared durable, a receiver with
// the shared Redis idempotency store, and a slow handler that records each event it handles in a Redis list.
// Env: NATS_URL, STREAM, DURABLE, REDIS_URL, PREFIX, HANDLER_MS, ACK_WAIT_MS, CONCURRENCY. Prints "ready".
import { connect } from '@nats-io/transport-node';
import { Redis } from 'ioredis';
import { buddyCatalog, createReceiver, memoryDeadLetterQueue } from '../../src/index.js';
import { redisIdempotencyStore } from '../../src/stores/redis.js';
import { natsConsumer } from '../../src/transports/nats.js';
import { SECRET } from './support.js';

const env = (name: string): string => {
  const value = process.env[name];
  if (value === undefined) throw new Error(`consumer-process: ${name} is not set`);
  return value;
};
const prefix = env('PREFIX');
const handlerMs = Number(env('HANDLER_MS'));
const redis = new Redis(env('REDIS_URL'));
const nc = await connect({ servers: env('NATS_URL').replace(/^nats:\/\//, ''), maxReconnectAttempts: -1 });
const receiver = createReceiver({
  secret: SECRET,
  catalog: buddyCatalog,
  idempotency: redisIdempotencyStore({ client: redis, prefix: `${prefix}:idem:` }),
});
receiver.on('buddy.match.created', async (event) => {
  await new Promise((resolve) => setTimeout(resolve, handlerMs));
  await redis.rpush(`${prefix}:handled`, `${process.pid}:${event.metadata.id}`);
});
const deadLetter = memoryDeadLetterQueue();
const consumer = await natsConsumer({
  connection: nc,
  stream: env('STREAM'),
  durable: env('DURABLE'),
  receiver,
  ackWaitMs: Number(env('ACK_WAIT_MS')),
  concurrency: Number(env('CONCURRENCY')),
  deadLetter,
  onDeadLetter: (entry) => redis.rpush(`${prefix}:dead`, entry.deliveryId).then(() => undefined),
});
console.log('ready');
process.once('SIGTERM', async () => {
  await consumer.stop();
  await nc.drain();
  redis.disconnect();
  process.exit(0);
});
