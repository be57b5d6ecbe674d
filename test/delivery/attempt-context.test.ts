// The one way a transport hears of an aborted attempt: the publisher's attempts call back from a plain list (no
// AbortSignal built), any other context through its signal, with a listener that goes away when unlistened.
import { getEventListeners } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { AttemptContext, isAborted, onAbort } from '../../src/delivery/attempt-context.js';

describe('onAbort', () => {
  it("calls back on the publisher's attempt without building its signal", () => {
    const attempt = new AttemptContext(1);
    const signalRead = vi.spyOn(attempt, 'signal', 'get');
    const callback = vi.fn();
    onAbort(attempt, callback);
    expect(isAborted(attempt)).toBe(false);
    attempt.abort('timed out');
    expect(callback).toHaveBeenCalledExactlyOnceWith('timed out');
    expect(isAborted(attempt)).toBe(true);
    expect(signalRead).not.toHaveBeenCalled();
  });

  it('calls back at once on an attempt already aborted', () => {
    const attempt = new AttemptContext(2);
    attempt.abort('gone');
    const callback = vi.fn();
    onAbort(attempt, callback);
    expect(callback).toHaveBeenCalledExactlyOnceWith('gone');
  });

  it("listens to another context's signal, and stops listening when told", () => {
    const controller = new AbortController();
    const context = { attempt: 1, signal: controller.signal };
    const callback = vi.fn();
    const unlisten = onAbort(context, callback);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    unlisten();
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    controller.abort('late');
    expect(callback).not.toHaveBeenCalled();
  });

  it("calls back when another context's signal aborts, at once when it already has", () => {
    const controller = new AbortController();
    const callback = vi.fn();
    onAbort({ attempt: 1, signal: controller.signal }, callback);
    controller.abort('stop');
    expect(callback).toHaveBeenCalledExactlyOnceWith('stop');
    const later = vi.fn();
    onAbort({ attempt: 1, signal: controller.signal }, later);
    expect(later).toHaveBeenCalledExactlyOnceWith('stop');
    expect(isAborted({ attempt: 1, signal: controller.signal })).toBe(true);
  });
});
