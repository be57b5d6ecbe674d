/**
 * The Bun and Deno entry: the app on the runtime's own server (`Bun.serve`, `Deno.serve`), on 127.0.0.1:$PORT.
 * Prints `listening` once it accepts connections.
 *
 * @module
 */
import { createApp } from './create-app.js';

type ServeHandler = (request: Request) => Response | Promise<Response>;
interface DenoGlobal {
  version: { deno: string };
  env: { get(name: string): string | undefined };
  serve(options: { hostname: string; port: number; onListen(): void }, handler: ServeHandler): unknown;
}
interface BunGlobal {
  version: string;
  env: Record<string, string | undefined>;
  serve(options: { hostname: string; port: number; fetch: ServeHandler }): unknown;
}

const { Deno, Bun } = globalThis as { Deno?: DenoGlobal; Bun?: BunGlobal };
if (Deno) {
  const app = createApp(Deno.env.get('SECRET') ?? '', { runtime: 'deno', version: Deno.version.deno });
  const port = Number(Deno.env.get('PORT'));
  Deno.serve({ hostname: '127.0.0.1', port, onListen: () => console.log('listening') }, app.fetch);
} else if (Bun) {
  const app = createApp(Bun.env.SECRET ?? '', { runtime: 'bun', version: Bun.version });
  Bun.serve({ hostname: '127.0.0.1', port: Number(Bun.env.PORT), fetch: app.fetch });
  console.log('listening');
} else {
  throw new Error('serve-web runs on Bun or Deno');
}
