import { backoffDelay, type ChannelStartContext, type InboundMessage, sleepUnlessAborted } from '@loket/core';
import type { IgApiClient } from 'instagram-private-api';
import { AbortedError, abortable } from './abort.ts';
import { comparePositions, isAfter, positionOf } from './cursor.ts';
import { classifyIgError } from './errors.ts';
import { normalizeItem } from './normalize.ts';
import type { ThreadCursors } from './session.ts';
import type {
  IgDirectItem,
  IgDirectThread,
  InstagramLogger,
  ItemPosition,
  MediaFetcher,
  RetryBackoff,
  ThreadSource,
} from './types.ts';

/** Inbox pages read per poll at most (20 threads each) when many threads moved since the last one. */
const MAX_INBOX_PAGES = 5;
/** Older pages read per thread at most (10 items each) when more arrived than the inbox shows. */
const MAX_THREAD_PAGES = 20;
/** Tries of onMessage per item per poll; the next poll tries again from the same cursor. */
const STORE_ATTEMPTS_PER_POLL = 3;
const REMEMBERED_ITEM_IDS = 5000;

/** What outlives one poll within a run. */
export class PollMemory {
  /** Item ids already handed over or skipped, a guard beside the cursors. */
  private readonly seen = new Set<string>();
  /** Message requests accepted in this run, so a slow move to the inbox does not approve twice. */
  readonly approved = new Set<string>();
  /** Per feed, the newest thread activity of the last complete poll: older inbox pages hold nothing newer. */
  readonly watermarks: Partial<Record<ThreadSource, string>> = {};

  has(itemId: string): boolean {
    return this.seen.has(itemId);
  }
  remember(itemId: string): void {
    this.seen.add(itemId);
    if (this.seen.size > REMEMBERED_ITEM_IDS) {
      const oldest = this.seen.values().next().value;
      if (oldest !== undefined) this.seen.delete(oldest);
    }
  }
}

export type PollDeps = {
  ig: IgApiClient;
  ownPk: string;
  ctx: ChannelStartContext;
  signal: AbortSignal;
  cursors: ThreadCursors;
  approveRequests: boolean;
  fetchMedia: MediaFetcher;
  backoff: RetryBackoff;
  logger: InstagramLogger;
  memory: PollMemory;
};

function newerThan(value: unknown, watermark: string): boolean {
  const text = String(value ?? '');
  return /^\d+$/.test(text) && BigInt(text) > BigInt(watermark);
}

type Positioned = { item: IgDirectItem; position: ItemPosition };

/** The items after `cursor`; items without a usable position are dropped, as they cannot be placed. */
function itemsAfter(items: IgDirectItem[], cursor: ItemPosition): Positioned[] {
  const after: Positioned[] = [];
  for (const item of items) {
    const position = positionOf(item);
    if (position && isAfter(position, cursor)) after.push({ item, position });
  }
  return after;
}

/**
 * The threads of the inbox or of message requests. The first page holds the 20 most recently active
 * threads; further pages are read only while they may hold activity newer than the last poll saw.
 */
async function collectThreads(deps: PollDeps, source: ThreadSource, baseline: ItemPosition) {
  const feed = source === 'inbox' ? deps.ig.feed.directInbox() : deps.ig.feed.directPending();
  const watermark = deps.memory.watermarks[source] ?? baseline.timestamp;
  const threads: IgDirectThread[] = [];
  for (let page = 1; ; page += 1) {
    const body = await abortable(feed.request(), deps.signal);
    // The library types cover text items only; IgDirectThread describes what is really read.
    const pageThreads = (body.inbox?.threads ?? []) as unknown as IgDirectThread[];
    threads.push(...pageThreads);
    const oldest = pageThreads.at(-1);
    if (!feed.isMoreAvailable() || !oldest || !newerThan(oldest.last_activity_at, watermark)) break;
    if (page >= MAX_INBOX_PAGES) {
      deps.logger.warn(
        { source, pages: page },
        'Instagram inbox has more active threads than one poll reads',
      );
      break;
    }
  }
  let newest = watermark;
  for (const thread of threads) {
    if (newerThan(thread.last_activity_at, newest)) newest = String(thread.last_activity_at);
  }
  return { threads, newest };
}

/** Pages back through a thread until reaching the cursor, when more arrived than the inbox shows. */
async function olderItems(deps: PollDeps, thread: IgDirectThread, cursor: ItemPosition) {
  const feed = deps.ig.feed.directThread({
    thread_id: thread.thread_id,
    oldest_cursor: thread.oldest_cursor ?? '',
  });
  const older: Positioned[] = [];
  for (let page = 1; page <= MAX_THREAD_PAGES; page += 1) {
    const items = (await abortable(feed.items(), deps.signal)) as unknown as IgDirectItem[];
    const fresh = itemsAfter(items, cursor);
    older.push(...fresh);
    if (fresh.length < items.length || !feed.isMoreAvailable()) return older;
  }
  deps.logger.warn(
    { threadId: thread.thread_id, pages: MAX_THREAD_PAGES },
    'Instagram thread has more new items than one poll reads; the oldest are left out',
  );
  return older;
}

/** Hands one message over, retrying a few times; false when it still failed (the cursor stays). */
async function store(deps: PollDeps, message: InboundMessage): Promise<boolean> {
  for (let attempt = 1; attempt <= STORE_ATTEMPTS_PER_POLL; attempt += 1) {
    try {
      await abortable(deps.ctx.onMessage(message), deps.signal);
      return true;
    } catch (error) {
      if (error instanceof AbortedError) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      deps.logger.warn(
        { itemId: message.externalMessageId, attempt, reason },
        'storing an Instagram message failed; retrying',
      );
      if (attempt < STORE_ATTEMPTS_PER_POLL) {
        const waited = await sleepUnlessAborted(backoffDelay(attempt, deps.backoff), deps.signal);
        if (!waited) throw new AbortedError();
      }
    }
  }
  return false;
}

async function advance(deps: PollDeps, threadId: string, position: ItemPosition) {
  deps.memory.remember(position.itemId);
  try {
    await deps.cursors.advance(threadId, position);
  } catch (error) {
    // The in-memory cursor already moved; after a restart the item may come again, and the core
    // drops it as a duplicate by its item id.
    deps.logger.warn({ threadId, reason: String(error) }, 'saving an Instagram cursor failed');
  }
}

/**
 * Takes in a thread's new items, oldest first. The cursor moves past an item only once it is stored
 * (or deliberately skipped), so a failed store is tried again by the next poll and nothing after it
 * overtakes it. False when a store kept failing.
 */
async function ingestThread(deps: PollDeps, thread: IgDirectThread): Promise<boolean> {
  const cursor = await deps.cursors.get(thread.thread_id);
  const shown = thread.items ?? [];
  const fresh = itemsAfter(shown, cursor);
  if (shown.length > 0 && fresh.length === shown.length && thread.has_older && thread.oldest_cursor) {
    fresh.push(...(await olderItems(deps, thread, cursor)));
  }
  // A page boundary can show an item twice; the id decides.
  const byId = new Map(fresh.map((entry) => [entry.position.itemId, entry]));
  const ordered = [...byId.values()].sort((a, b) => comparePositions(a.position, b.position));

  for (const { item, position } of ordered) {
    if (!deps.memory.has(position.itemId)) {
      const outcome = normalizeItem(item, thread, { ownPk: deps.ownPk, fetchMedia: deps.fetchMedia });
      if (outcome.kind === 'message' && !(await store(deps, outcome.message))) return false;
      if (outcome.kind === 'skipped') {
        deps.logger.info({ reason: outcome.reason, ...outcome.detail }, 'Instagram item skipped');
        try {
          deps.ctx.onRejected?.(outcome.reason, outcome.detail);
        } catch (error) {
          deps.logger.warn({ reason: String(error) }, 'onRejected threw');
        }
      }
    }
    await advance(deps, thread.thread_id, position);
  }
  return true;
}

async function approve(deps: PollDeps, threadId: string): Promise<void> {
  if (deps.memory.approved.has(threadId)) return;
  try {
    await abortable(deps.ig.directThread.approve(threadId), deps.signal);
    deps.memory.approved.add(threadId);
    deps.logger.info({ threadId }, 'Instagram message request accepted');
  } catch (error) {
    // Declined or deleted by the sender meanwhile: nothing left to accept.
    if (classifyIgError(error).kind !== 'not_found') throw error;
    deps.logger.warn({ threadId }, 'Instagram message request vanished before it was accepted');
  }
}

/**
 * One poll: the inbox and message requests, then every thread's new items. Message requests are
 * taken in like any thread, and accepted afterwards when configured: first contact from someone the
 * office does not follow lands there, and leaving it unread would lose the citizen. Instagram errors
 * propagate to the caller, which decides between re-login, backoff and giving up.
 */
export async function pollOnce(deps: PollDeps): Promise<void> {
  const baseline = await deps.cursors.baseline();
  const inbox = await collectThreads(deps, 'inbox', baseline);
  const pending = await collectThreads(deps, 'pending', baseline);
  let complete = true;
  for (const thread of pending.threads) {
    if (!(await ingestThread(deps, thread))) complete = false;
    else if (deps.approveRequests) await approve(deps, thread.thread_id);
  }
  for (const thread of inbox.threads) {
    if (!(await ingestThread(deps, thread))) complete = false;
  }
  // A thread whose store failed must be looked at again, even if newer threads push it to page two.
  if (complete) {
    deps.memory.watermarks.inbox = inbox.newest;
    deps.memory.watermarks.pending = pending.newest;
  }
}
