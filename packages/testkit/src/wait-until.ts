/**
 * Polls `condition` until it holds. Tests against real sockets have no event to await for "the client
 * has now polled twice", so they wait for the observable effect instead of sleeping a guessed time.
 */
export async function waitUntil(
  condition: () => boolean | Promise<boolean>,
  options: { timeoutMs?: number; intervalMs?: number; message?: string } = {},
): Promise<void> {
  const deadline = Date.now() + (options.timeoutMs ?? 5000);
  for (;;) {
    if (await condition()) return;
    if (Date.now() > deadline)
      throw new Error(options.message ?? 'waitUntil: condition did not hold in time');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 10));
  }
}
