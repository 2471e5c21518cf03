// Group commit: items that arrive while a commit is in flight wait and go together in the next one.
// One commit at a time, so items of one sender are committed in the order they arrived.

export type GroupCommitOptions = {
  /** Most items in one commit. */
  maxSize: number;
  /**
   * How long the first item of an idle queue waits for company before its commit starts. 0 still
   * lets the items of one burst (a webhook batch, a getUpdates page) that arrive in the same turn of
   * the event loop go together.
   */
  maxWaitMs: number;
};

export type GroupCommitOutcome<R> = { ok: true; result: R } | { ok: false; error: unknown };

type Waiting<T, R> = { item: T; settle(outcome: GroupCommitOutcome<R>): void };

/**
 * `submit(item)` resolves with the item's own outcome once the commit that carried it is done.
 * `commit` gets the items in arrival order and returns one outcome per item, in the same order; if it
 * throws, every item of that commit fails with its error.
 */
export function createGroupCommit<T, R>(
  options: GroupCommitOptions,
  commit: (items: T[]) => Promise<GroupCommitOutcome<R>[]>,
  onCommitted?: (size: number) => void,
) {
  const queue: Waiting<T, R>[] = [];
  let inFlight = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function schedule(): void {
    if (inFlight || !queue.length) return;
    if (queue.length >= options.maxSize) {
      if (timer) clearTimeout(timer);
      timer = null;
      void run();
      return;
    }
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      void run();
    }, options.maxWaitMs);
  }

  async function run(): Promise<void> {
    if (inFlight || !queue.length) return;
    inFlight = true;
    const taken = queue.splice(0, Math.max(1, options.maxSize));
    try {
      const outcomes = await commit(taken.map((waiting) => waiting.item));
      const missing = new Error('no outcome for an item of the commit');
      for (const [index, waiting] of taken.entries())
        waiting.settle(outcomes[index] ?? { ok: false, error: missing });
      onCommitted?.(taken.length);
    } catch (error) {
      for (const waiting of taken) waiting.settle({ ok: false, error });
    } finally {
      inFlight = false;
    }
    // What arrived during the commit goes at once: it has waited for a commit already.
    if (queue.length) void run();
  }

  return {
    submit(item: T): Promise<R> {
      return new Promise<R>((resolve, reject) => {
        queue.push({
          item,
          settle: (outcome) => (outcome.ok ? resolve(outcome.result) : reject(outcome.error)),
        });
        schedule();
      });
    },
    get pending(): number {
      return queue.length;
    },
  };
}
