import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { watchForSilence } from './watchdog.ts';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('watchForSilence', () => {
  it('fires once after the silence, counted from the last frame', () => {
    const source = new EventEmitter();
    const onSilent = vi.fn();
    watchForSilence({ source, silenceMs: 10_000, onSilent });

    vi.advanceTimersByTime(6000);
    source.emit('frame', {});
    vi.advanceTimersByTime(6000);
    expect(onSilent).not.toHaveBeenCalled();
    vi.advanceTimersByTime(4000);
    expect(onSilent).toHaveBeenCalledTimes(1);
    expect(onSilent.mock.calls[0]?.[0]).toBeGreaterThanOrEqual(10_000);
    vi.advanceTimersByTime(60_000);
    expect(onSilent).toHaveBeenCalledTimes(1);
    expect(source.listenerCount('frame')).toBe(0);
  });

  it('stays quiet while frames keep coming', () => {
    const source = new EventEmitter();
    const onSilent = vi.fn();
    watchForSilence({ source, silenceMs: 10_000, onSilent });
    for (let i = 0; i < 20; i += 1) {
      vi.advanceTimersByTime(5000);
      source.emit('frame', {});
    }
    expect(onSilent).not.toHaveBeenCalled();
  });

  it('does nothing after stop()', () => {
    const source = new EventEmitter();
    const onSilent = vi.fn();
    const watchdog = watchForSilence({ source, silenceMs: 1000, onSilent });
    watchdog.stop();
    vi.advanceTimersByTime(5000);
    expect(onSilent).not.toHaveBeenCalled();
    expect(source.listenerCount('frame')).toBe(0);
  });
});
