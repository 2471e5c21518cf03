/** What the watchdog listens to: Baileys' WebSocket client emits 'frame' for every decoded frame. */
export type FrameSource = {
  on(event: 'frame', listener: () => void): unknown;
  off(event: 'frame', listener: () => void): unknown;
};

export type SilenceWatchdog = { stop(): void };

/**
 * Calls `onSilent` once when `source` has emitted no frame for `silenceMs`. Baileys pings every 30
 * seconds and the server answers, so a live socket is never silent for minutes; one that is has
 * died without a close (a half-open TCP connection, a stuck proxy) while still reporting "open".
 */
export function watchForSilence(options: {
  source: FrameSource;
  silenceMs: number;
  onSilent(silentForMs: number): void;
  now?: () => number;
}): SilenceWatchdog {
  const now = options.now ?? Date.now;
  let lastFrameAt = now();
  let timer: NodeJS.Timeout | undefined;
  const onFrame = () => {
    lastFrameAt = now();
  };

  const stop = () => {
    clearTimeout(timer);
    timer = undefined;
    options.source.off('frame', onFrame);
  };

  const check = () => {
    const silentFor = now() - lastFrameAt;
    if (silentFor >= options.silenceMs) {
      stop();
      options.onSilent(silentFor);
      return;
    }
    arm(options.silenceMs - silentFor);
  };

  // A timer re-armed for the remaining time, rather than one reset per frame: frames come many times
  // a second while a batch arrives.
  const arm = (ms: number) => {
    timer = setTimeout(check, ms);
    timer.unref();
  };

  options.source.on('frame', onFrame);
  arm(options.silenceMs);
  return { stop };
}
