/**
 * The built-in schemes by name, and the two facts other areas need about each: its header names and its body shape.
 *
 * @module
 */
import type { EnvelopeShape } from '../../envelope/serialize-event.js';
import { type SchemeHeaderNames, type SchemeName, SIGNATURE_SCHEMES } from '../types.js';
import { buddyConnector } from './buddy-connector.js';
import type { Scheme } from './scheme.js';
import { sha256Body } from './sha256-body.js';
import { standardWebhooks } from './standard-webhooks.js';
import { teeiV1 } from './teei-v1.js';

const SCHEMES: Readonly<Record<SchemeName, Scheme>> = {
  'teei-v1': teeiV1,
  'standard-webhooks': standardWebhooks,
  'buddy-connector': buddyConnector,
  'sha256-body': sha256Body,
};

/**
 * The scheme called `name`.
 *
 * @throws TypeError when `name` is not a built-in scheme.
 *
 * @example `getScheme('buddy-connector').bodyShape // 'flat'`
 */
export function getScheme(name: SchemeName): Scheme {
  const scheme = Object.hasOwn(SCHEMES, name) ? SCHEMES[name] : undefined;
  if (!scheme) {
    throw new TypeError(`scheme must be one of ${SIGNATURE_SCHEMES.join(', ')}; got ${JSON.stringify(String(name))}`);
  }
  return scheme;
}

/**
 * The lowercase header names a scheme reads and writes. `timestamp` is absent for `buddy-connector`, which carries
 * its timestamp inside the signature header.
 *
 * @param scheme - A built-in scheme name.
 * @throws TypeError when `scheme` is not a built-in scheme.
 * @example
 * ```ts
 * schemeHeaders('teei-v1') // { id: 'x-webhook-id', timestamp: 'x-webhook-timestamp', signature: 'x-webhook-signature' }
 * schemeHeaders('buddy-connector') // { id: 'x-delivery-id', signature: 'x-buddy-signature' }
 * ```
 */
export function schemeHeaders(scheme: SchemeName): SchemeHeaderNames {
  const { id, timestamp, signature } = getScheme(scheme).headers;
  return timestamp === undefined ? { id, signature } : { id, timestamp, signature };
}

/**
 * The envelope shape a scheme's receivers expect: `flat` for `buddy-connector` (the platform's live receiver),
 * `nested` for every other scheme.
 *
 * @param scheme - A built-in scheme name.
 * @throws TypeError when `scheme` is not a built-in scheme.
 * @example
 * ```ts
 * const body = serializeEvent(envelope, schemeBodyShape('buddy-connector')) // flat JSON
 * ```
 */
export function schemeBodyShape(scheme: SchemeName): EnvelopeShape {
  return getScheme(scheme).bodyShape;
}
