/**
 * `@teei/event-relay/nats`: NATS JetStream for the phase where webhooks no longer keep up (100 to 10,000
 * events/s). {@link natsTransport} publishes through the same publisher as HTTP, {@link natsConsumer} feeds the
 * same receiver pipeline, {@link ensureStream} prepares the stream. Needs the optional peers
 * `@nats-io/transport-node` and `@nats-io/jetstream` (^3); the core never imports them. Connect with reconnecting
 * options (`maxReconnectAttempts: -1`, `reconnectTimeWait: 500`); clusters, sizing and reconnects: docs/nats.md.
 *
 * @module
 */

export { UNREADABLE_MESSAGE_TYPE } from './nats/dead-letter-entry.js';
export { DEFAULT_STREAM_OPTIONS, type EnsureStreamOptions, ensureStream } from './nats/ensure-stream.js';
export { natsConsumer } from './nats/nats-consumer.js';
export {
  DEFAULT_NATS_CONSUMER_OPTIONS,
  type MessageReceiver,
  type NatsConsumer,
  type NatsConsumerOptions,
} from './nats/nats-consumer-options.js';
export { natsTransport } from './nats/nats-transport.js';
export { DEFAULT_NATS_TRANSPORT_OPTIONS, type NatsTransportOptions } from './nats/nats-transport-options.js';
