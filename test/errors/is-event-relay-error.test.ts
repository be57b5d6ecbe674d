// The one guard of the root entry: by class name, never instanceof, and safe to pass as a callback.
import { describe, expect, it } from 'vitest';
import { ConfigError, DeliveryError, isEventRelayError, TransportError } from '../../src/index.js';

describe('isEventRelayError', () => {
  it('tells the classes apart by name', () => {
    const config = new ConfigError('bad option', { option: 'url' });
    expect(isEventRelayError(config)).toBe(true);
    expect(isEventRelayError(config, 'ConfigError')).toBe(true);
    expect(isEventRelayError(config, 'EventRelayError')).toBe(true);
    expect(isEventRelayError(config, 'TransportError')).toBe(false);
    expect(isEventRelayError(new Error('plain'))).toBe(false);
    expect(isEventRelayError('ConfigError', 'ConfigError')).toBe(false);
  });

  it('holds for an error of another copy of the package (same name and code, another class)', () => {
    const foreign = Object.assign(new Error('from another copy'), { name: 'ConfigError', code: 'config_error' });
    expect(isEventRelayError(foreign)).toBe(true);
    expect(isEventRelayError(foreign, 'ConfigError')).toBe(true);
  });

  it('works as a callback, where the second argument is an index', () => {
    const errors: unknown[] = [new ConfigError('x'), new Error('y'), new TransportError('network_error', 'z')];
    expect(errors.filter(isEventRelayError)).toHaveLength(2);
    expect([new ConfigError('x')].some(isEventRelayError)).toBe(true);
    expect([new Error('y')].every(isEventRelayError)).toBe(false);
  });

  it('narrows to the class named', () => {
    const caught: unknown = new ConfigError('bad', { option: 'secret' });
    if (!isEventRelayError(caught, 'ConfigError')) throw new Error('expected a ConfigError');
    expect(caught.option).toBe('secret');
    expect(isEventRelayError(caught, 'DeliveryError')).toBe(false);
    expect(DeliveryError.name).toBe('DeliveryError');
  });
});
