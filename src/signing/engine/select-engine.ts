/**
 * The engine this runtime uses: `node:crypto` where it exists, Web Crypto elsewhere.
 *
 * @module
 */
import type { Engine } from './engine.js';
import { nodeCrypto } from './node-crypto.js';
import { nodeEngine } from './node-engine.js';
import { webEngine } from './web-engine.js';

let selected: Engine | undefined;

/**
 * The default engine, chosen on first use.
 *
 * @throws Error on a runtime with neither `node:crypto` nor Web Crypto.
 *
 * @example `defaultEngine().name // 'node' on Node, 'web' on an edge runtime`
 */
export function defaultEngine(): Engine {
  if (selected) return selected;
  if (nodeCrypto) selected = nodeEngine(nodeCrypto);
  else if (globalThis.crypto?.subtle) selected = webEngine(globalThis.crypto.subtle);
  else throw new Error('@teei/event-relay signing needs node:crypto or Web Crypto (globalThis.crypto.subtle)');
  return selected;
}
