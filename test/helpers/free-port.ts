// A TCP port free right now on 127.0.0.1, as the kernel hands one out, for a child process told which port to take.
import { createServer } from 'node:net';

/**
 * @example `const port = await freePort()`
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}
