// A channel adapter whose package (and so its SDK: baileys, instagram-private-api, telegraf) is imported
// only when the channel first starts. Importing all of them at boot cost about 1.5 s and 75 MB RSS, for
// channels an office may never switch on. The supervisor's factories are synchronous, hence this shell.
import type {
  ChannelAdapter,
  ChannelName,
  ChannelStartContext,
  OutboundContent,
  ThreadRef,
} from '@loket/core';

export type LazyChannel<A extends ChannelAdapter> = ChannelAdapter & {
  /** The real adapter, loading it if need be (webhooks and pairing reach it through this). */
  ready(): Promise<A>;
  /** The real adapter once loaded, for synchronous reads (the current QR). */
  loaded(): A | undefined;
};

export function lazyChannel<A extends ChannelAdapter>(
  channel: ChannelName,
  load: () => Promise<A>,
): LazyChannel<A> {
  let adapter: A | undefined;
  let loading: Promise<A> | undefined;
  const ready = () => {
    loading ??= load().then((built) => {
      adapter = built;
      return built;
    });
    return loading;
  };
  return {
    channel,
    ready,
    loaded: () => adapter,
    start: async (ctx: ChannelStartContext) => (await ready()).start(ctx),
    // Stopping a channel that never loaded has nothing to stop.
    stop: async () => (loading ? (await loading).stop() : undefined),
    send: async (to: ThreadRef, content: OutboundContent) => (await ready()).send(to, content),
  };
}
