/**
 * What every adapter shares besides I/O: its options (the two paths) and the checks on what it is given. No Node
 * import here, so the Hono adapter stays runnable on any fetch runtime.
 *
 * @module
 */
/**
 * The adapters' default routes.
 *
 * @example `app.use(expressReceiver(receiver, { path: '/v2' + DEFAULT_ADAPTER_PATHS.path }))`
 */
export const DEFAULT_ADAPTER_PATHS = Object.freeze({
  path: '/webhooks/buddy-events',
  healthPath: '/health/webhook',
});

/**
 * Options every adapter takes.
 *
 * @example `nodeReceiver(receiver, { path: '/hooks/buddy', healthPath: '/healthz' } satisfies AdapterOptions)`
 */
export interface AdapterOptions {
  /** Where events are POSTed. @default '/webhooks/buddy-events' */
  path?: string | undefined;
  /** Where `GET` answers `receiver.health()`. @default '/health/webhook' */
  healthPath?: string | undefined;
}

/** @internal checks and fills the adapter options */
export function adapterPaths(adapter: string, options: AdapterOptions = {}): { path: string; healthPath: string } {
  const path = options.path ?? DEFAULT_ADAPTER_PATHS.path;
  const healthPath = options.healthPath ?? DEFAULT_ADAPTER_PATHS.healthPath;
  for (const [name, value] of [
    ['path', path],
    ['healthPath', healthPath],
  ] as const) {
    if (typeof value !== 'string' || !value.startsWith('/')) {
      throw new TypeError(`${adapter}: ${name} must be a string starting with "/", got ${JSON.stringify(value)}`);
    }
  }
  return { path, healthPath };
}
