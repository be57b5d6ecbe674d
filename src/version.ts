/**
 * The package version, inlined at build time from package.json (tsup and vitest both `define` it).
 *
 * @module
 */
declare const __PKG_VERSION__: string;

/**
 * This package's version, as in `User-Agent: teei-event-relay/<version>`.
 *
 * @example
 * ```ts
 * console.log(`running @teei/event-relay ${VERSION}`)
 * ```
 */
export const VERSION: string = typeof __PKG_VERSION__ === 'string' ? __PKG_VERSION__ : '0.0.0-dev';
