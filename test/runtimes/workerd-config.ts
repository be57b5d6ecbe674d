/**
 * The `workerd serve` config for one variant: the Worker bundle as its only module, the secret as a text binding,
 * a socket on 127.0.0.1, and an outbound network that reaches loopback (the publish check posts to the host).
 *
 * @module
 */

/**
 * A config in workerd's Cap'n Proto text format.
 *
 * @example `writeFileSync('config.capnp', workerdConfig({ port, secret, bundle: 'worker.mjs', nodejsCompat: false }))`
 */
export function workerdConfig(options: {
  port: number;
  secret: string;
  bundle: string;
  nodejsCompat: boolean;
}): string {
  const flags = options.nodejsCompat ? '"nodejs_compat"' : '';
  const variant = options.nodejsCompat ? 'nodejs_compat' : 'no nodejs_compat';
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local", "private", "public"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${options.port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.mjs", esModule = embed ${JSON.stringify(options.bundle)})],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = [${flags}],
  bindings = [
    (name = "SECRET", text = ${JSON.stringify(options.secret)}),
    (name = "VARIANT", text = ${JSON.stringify(variant)}),
  ],
  globalOutbound = "loopback",
);
`;
}
