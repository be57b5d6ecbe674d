// Servers the CLI tests talk to, in the test process, on 127.0.0.1 and a free port: a real receiver (the library's
// createReceiver behind nodeReceiver) and plain node:http servers for the failure cases.
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  buddyCatalog,
  createReceiver,
  type EventEnvelope,
  type Receiver,
  type ReceiverOptions,
} from '@teei/event-relay';
import { nodeReceiver } from '@teei/event-relay/node';

export interface Running {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  close(): Promise<void>;
}

export function listen(server: Server): Promise<Running> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

export function startServer(handler: RequestListener): Promise<Running> {
  return listen(createServer(handler));
}

export interface RunningReceiver extends Running {
  /** POST endpoint. */
  readonly url: string;
  readonly receiver: Receiver;
  /** Every event a handler ran for, in order. */
  readonly handled: EventEnvelope[];
}

/** The library's receiver with the Buddy catalog, mounted by nodeReceiver. */
export async function startReceiver(options: Omit<ReceiverOptions, 'catalog'>): Promise<RunningReceiver> {
  const receiver = createReceiver({ catalog: buddyCatalog, ...options } as ReceiverOptions) as unknown as Receiver;
  const handled: EventEnvelope[] = [];
  receiver.onAny((event) => {
    handled.push(event as EventEnvelope);
  });
  const running = await listen(createServer(nodeReceiver(receiver)));
  return { ...running, url: `${running.origin}/webhooks/buddy-events`, receiver, handled };
}
