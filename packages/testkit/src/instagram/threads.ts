import { randomInt } from 'node:crypto';
import { RawNumber } from './wire.ts';

/** A person on Instagram. `pk` is a string so pks beyond 2^53 stay exact. */
export type FakeInstagramUser = { pk: string; username: string; fullName?: string };

export type StoredItem = {
  itemId: string;
  micros: bigint;
  senderPk: string;
  itemType: string;
  /** The item exactly as the inbox and thread endpoints send it. */
  wire: Record<string, unknown>;
};

export type FakeThread = {
  threadId: string;
  v2Id: string;
  /** The other participants (the account itself is the viewer, never listed, as on Instagram). */
  users: FakeInstagramUser[];
  /** In "message requests" (pending_inbox) rather than the main inbox. */
  pending: boolean;
  isGroup: boolean;
  /** Oldest first. */
  items: StoredItem[];
  createdMicros: bigint;
};

function randomDigits(count: number): string {
  let digits = String(randomInt(1, 10));
  while (digits.length < count) digits += String(randomInt(0, 10));
  return digits;
}

/** Threads and their items, with Instagram's ids: 39-digit thread ids, ~30-digit item ids that grow with time. */
export class ThreadStore {
  readonly threads = new Map<string, FakeThread>();
  private lastMicros = 0n;
  private sequence = 0n;

  constructor(private readonly viewer: FakeInstagramUser) {}

  /** Microseconds since the epoch, strictly increasing unless a test backdates an item with `at`. */
  nextMicros(at?: Date): bigint {
    if (at) return BigInt(at.getTime()) * 1000n + (this.sequence % 1000n);
    const now = BigInt(Date.now()) * 1000n;
    this.lastMicros = now > this.lastMicros ? now : this.lastMicros + 1n;
    return this.lastMicros;
  }

  newItemId(micros: bigint): string {
    this.sequence += 1n;
    return String(micros * 17_592_186_044_416n + this.sequence);
  }

  addThread(users: FakeInstagramUser[], pending: boolean): FakeThread {
    const thread: FakeThread = {
      threadId: `340282366841710300949128${randomDigits(15)}`,
      v2Id: randomDigits(17),
      users,
      pending,
      isGroup: users.length > 1,
      items: [],
      createdMicros: this.nextMicros(),
    };
    this.threads.set(thread.threadId, thread);
    return thread;
  }

  /** The one-to-one thread with `user`, if there is one. */
  threadWith(user: FakeInstagramUser): FakeThread | undefined {
    return [...this.threads.values()].find((thread) => !thread.isGroup && thread.users[0]?.pk === user.pk);
  }

  append(
    thread: FakeThread,
    senderPk: string,
    itemType: string,
    fields: Record<string, unknown>,
    at?: Date,
  ): StoredItem {
    const micros = this.nextMicros(at);
    const itemId = this.newItemId(micros);
    const item: StoredItem = {
      itemId,
      micros,
      senderPk,
      itemType,
      wire: {
        item_id: itemId,
        user_id: new RawNumber(senderPk),
        timestamp: new RawNumber(micros),
        item_type: itemType,
        ...fields,
        client_context: randomDigits(19),
        show_forward_attribution: false,
        is_shh_mode: false,
      },
    };
    thread.items.push(item);
    thread.items.sort((a, b) => (a.micros < b.micros ? -1 : a.micros > b.micros ? 1 : 0));
    return item;
  }

  lastActivity(thread: FakeThread): bigint {
    return thread.items.at(-1)?.micros ?? thread.createdMicros;
  }

  /** The inbox's order: most recent activity first. */
  listThreads(pending: boolean): FakeThread[] {
    return [...this.threads.values()]
      .filter((thread) => thread.pending === pending)
      .sort((a, b) => {
        const diff = this.lastActivity(b) - this.lastActivity(a);
        return diff > 0n ? 1 : diff < 0n ? -1 : 0;
      });
  }

  /**
   * One page of a thread's items, newest first: the newest `limit` items, or with `cursor` (an item
   * id, Instagram's `oldest_cursor`) the `limit` items just older than it.
   */
  pageItems(thread: FakeThread, cursor: string | undefined, limit: number) {
    const newestFirst = [...thread.items].reverse();
    let start = 0;
    if (cursor) {
      const index = newestFirst.findIndex((item) => item.itemId === cursor);
      start = index < 0 ? newestFirst.length : index + 1;
    }
    const items = newestFirst.slice(start, start + limit);
    return { items, hasOlder: start + limit < newestFirst.length };
  }

  userWire(user: FakeInstagramUser, cdnRoot: string): Record<string, unknown> {
    return {
      pk: new RawNumber(user.pk),
      pk_id: user.pk,
      username: user.username,
      full_name: user.fullName ?? '',
      is_private: false,
      profile_pic_url: `${cdnRoot}v/t51.2885-19/${user.pk}_profile.jpg`,
      friendship_status: {
        following: false,
        blocking: false,
        is_private: false,
        incoming_request: false,
        outgoing_request: false,
        is_bestie: false,
      },
      is_verified: false,
      has_anonymous_profile_picture: false,
    };
  }

  threadWire(
    thread: FakeThread,
    page: { items: StoredItem[]; hasOlder: boolean },
    cdnRoot: string,
  ): Record<string, unknown> {
    const lastItem = thread.items.at(-1);
    const users = thread.users.map((user) => this.userWire(user, cdnRoot));
    return {
      thread_id: thread.threadId,
      thread_v2_id: thread.v2Id,
      users,
      left_users: [],
      admin_user_ids: [],
      items: page.items.map((item) => item.wire),
      last_activity_at: new RawNumber(this.lastActivity(thread)),
      muted: false,
      is_pin: false,
      named: false,
      canonical: true,
      pending: thread.pending,
      archived: false,
      valued_request: false,
      thread_type: 'private',
      viewer_id: new RawNumber(this.viewer.pk),
      thread_title: thread.isGroup ? '' : (thread.users[0]?.username ?? ''),
      pending_score: new RawNumber(thread.pending ? this.lastActivity(thread) : 0),
      folder: 0,
      vc_muted: false,
      is_group: thread.isGroup,
      mentions_muted: false,
      inviter: users[0] ?? this.userWire(this.viewer, cdnRoot),
      has_older: page.hasOlder,
      has_newer: false,
      last_seen_at: {},
      newest_cursor: page.items[0]?.itemId ?? '',
      oldest_cursor: page.items.at(-1)?.itemId ?? '',
      is_spam: false,
      last_permanent_item: lastItem?.wire ?? null,
    };
  }
}
