import { newInstagramMid } from './graph-handlers.ts';

// Builders of Instagram messaging webhook payloads (`object: 'instagram'`, `entry[].messaging[]`),
// shaped like Meta's documented examples for the Instagram API with Instagram Login.

/** One `messaging[]` event. The side that is our account is filled in by instagramWebhook. */
export type IgWebhookEvent = {
  sender?: { id: string };
  recipient?: { id: string };
  timestamp: number;
} & Record<string, unknown>;

export type InstagramWebhookPayload = {
  object: 'instagram';
  entry: { id: string; time: number; messaging: IgWebhookEvent[] }[];
};

type FromCitizen = { from: string; mid?: string; timestamp?: number | Date };

function millis(timestamp: number | Date | undefined): number {
  if (timestamp instanceof Date) return timestamp.getTime();
  return timestamp ?? Date.now();
}

function fromCitizen(input: FromCitizen, content: Record<string, unknown>): IgWebhookEvent {
  return { sender: { id: input.from }, timestamp: millis(input.timestamp), ...content };
}

const referral = (ref: string) => ({ ref, source: 'SHORTLINKS', type: 'OPEN_THREAD' });

export const instagramMessaging = {
  text: (input: FromCitizen & { text: string; quickReplyPayload?: string; ref?: string }) =>
    fromCitizen(input, {
      message: {
        mid: input.mid ?? newInstagramMid(),
        text: input.text,
        ...(input.quickReplyPayload === undefined
          ? {}
          : { quick_reply: { payload: input.quickReplyPayload } }),
        ...(input.ref === undefined ? {} : { referral: referral(input.ref) }),
      },
    }),
  attachment: (
    input: FromCitizen & { type: 'image' | 'video' | 'audio' | 'file'; url: string; text?: string },
  ) =>
    fromCitizen(input, {
      message: {
        mid: input.mid ?? newInstagramMid(),
        ...(input.text === undefined ? {} : { text: input.text }),
        attachments: [{ type: input.type, payload: { url: input.url } }],
      },
    }),
  /** A post, reel or story shared into the chat: a link, not a file. */
  share: (input: FromCitizen & { url: string; type?: 'share' | 'ig_reel' | 'reel' | 'story_mention' }) =>
    fromCitizen(input, {
      message: {
        mid: input.mid ?? newInstagramMid(),
        attachments: [{ type: input.type ?? 'share', payload: { url: input.url } }],
      },
    }),
  storyReply: (input: FromCitizen & { text: string; storyUrl: string }) =>
    fromCitizen(input, {
      message: {
        mid: input.mid ?? newInstagramMid(),
        text: input.text,
        reply_to: { story: { url: input.storyUrl, id: '18012345678901234' } },
      },
    }),
  /** Our own message echoed back: sent by our account to the citizen. */
  echo: (input: { to: string; text: string; mid?: string; timestamp?: number | Date }): IgWebhookEvent => ({
    recipient: { id: input.to },
    timestamp: millis(input.timestamp),
    message: { mid: input.mid ?? newInstagramMid(), text: input.text, is_echo: true },
  }),
  /** The citizen opened an ig.me/m/<account>?ref=<code> link into an existing thread, without writing. */
  referral: (input: FromCitizen & { ref: string }) => fromCitizen(input, { referral: referral(input.ref) }),
  /** A tap on an icebreaker or a postback button; icebreakers from an ig.me link carry its ref. */
  postback: (input: FromCitizen & { title: string; payload: string; ref?: string }) =>
    fromCitizen(input, {
      postback: {
        mid: input.mid ?? newInstagramMid(),
        title: input.title,
        payload: input.payload,
        ...(input.ref === undefined ? {} : { referral: referral(input.ref) }),
      },
    }),
  read: (input: FromCitizen & { readMid: string }) => fromCitizen(input, { read: { mid: input.readMid } }),
  reaction: (input: FromCitizen & { reactedMid: string; emoji: string }) =>
    fromCitizen(input, {
      reaction: { mid: input.reactedMid, action: 'react', reaction: 'love', emoji: input.emoji },
    }),
  deleted: (input: FromCitizen & { mid: string }) =>
    fromCitizen(input, { message: { mid: input.mid, is_deleted: true } }),
};

/**
 * A whole `instagram` webhook for one account. Events from a citizen get our account as recipient,
 * echoes get it as sender. Meta batches several events into one entry, as here.
 */
export function instagramWebhook(options: {
  accountId: string;
  messaging: IgWebhookEvent[];
  time?: number;
}): InstagramWebhookPayload {
  const account = { id: options.accountId };
  return {
    object: 'instagram',
    entry: [
      {
        id: options.accountId,
        time: options.time ?? Date.now(),
        messaging: options.messaging.map((event) => ({
          sender: event.sender ?? account,
          recipient: event.recipient ?? account,
          ...event,
        })),
      },
    ],
  };
}
