import type {
  ChannelStartContext,
  ChannelStatus,
  DeliveryReceipt,
  InboundMessage,
  InboundReferral,
} from '@loket/core';

/** What a channel adapter under test handed to its start context. */
export type Recorder = {
  ctx: ChannelStartContext;
  controller: AbortController;
  /** Messages whose onMessage resolved, i.e. "stored". */
  stored: InboundMessage[];
  /** Every onMessage call, including the ones that threw. */
  attempts: InboundMessage[];
  statuses: ChannelStatus[];
  rejected: { reason: string; detail?: Record<string, unknown> }[];
  /** Delivery reports whose onDeliveryReceipt resolved. */
  receipts: DeliveryReceipt[];
  /** Referrals that came without a message, whose onReferral resolved. */
  referrals: InboundReferral[];
};

/** A start context that records everything; `store` decides per call whether storing succeeds. */
export function recordingContext(
  store: (message: InboundMessage, attempt: number) => Promise<void> = async () => {},
): Recorder {
  const controller = new AbortController();
  const recorder: Recorder = {
    controller,
    stored: [],
    attempts: [],
    statuses: [],
    rejected: [],
    receipts: [],
    referrals: [],
    ctx: {
      signal: controller.signal,
      onMessage: async (message) => {
        recorder.attempts.push(message);
        await store(message, recorder.attempts.length);
        recorder.stored.push(message);
      },
      onStatus: (status) => recorder.statuses.push(status),
      onRejected: (reason, detail) =>
        recorder.rejected.push(detail === undefined ? { reason } : { reason, detail }),
      onDeliveryReceipt: async (receipt) => {
        recorder.receipts.push(receipt);
      },
      onReferral: async (referral) => {
        recorder.referrals.push(referral);
      },
    },
  };
  return recorder;
}
