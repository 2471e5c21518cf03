import { type ChannelAdapter, silentLogger } from '@loket/core';
import { type CommonInput, type ResolvedCommon, resolveCommonConfig } from './config.ts';
import type { MetaChannelName } from './errors.ts';
import { createGraphClient, type GraphClient } from './graph-client.ts';
import { type ChannelRuntime, createChannelRuntime } from './runtime.ts';
import { answerSubscription } from './signature.ts';
import type { MetaChannel, MetaLogger, WebhookItem } from './types.ts';
import { handleMetaWebhook, type MetaWebhookEnvelope } from './webhook.ts';

/**
 * What both Meta channels share: the Graph client, the token check that sets the status, the
 * subscription check and the signed webhook. A channel adds how it sends and how it reads a payload.
 */
export function createMetaAdapter(options: {
  channel: MetaChannelName;
  config: CommonInput & { logger?: MetaLogger };
  defaultApiRoot: string;
  /** `whatsapp_business_account` or `instagram`. */
  expectedObject: string;
  /** Resolves with the status detail (the number or @username) or throws a ChannelError. */
  checkToken(client: GraphClient, signal: AbortSignal): Promise<string>;
  build(parts: { client: GraphClient; common: ResolvedCommon; logger: MetaLogger }): {
    send: ChannelAdapter['send'];
    collect(envelope: MetaWebhookEnvelope): Promise<WebhookItem[]>;
  };
}): MetaChannel {
  const { channel, config } = options;
  const common = resolveCommonConfig(channel, config, options.defaultApiRoot);
  const logger = config.logger ?? silentLogger;
  // The client reports a refused token to the runtime, which is built from the client: hence the let.
  let runtime: ChannelRuntime | undefined;
  const client = createGraphClient({
    channel,
    apiRoot: common.apiRoot,
    version: common.version,
    accessToken: config.accessToken,
    requestTimeoutMs: common.requestTimeoutMs,
    logger,
    onAuthFailure: (detail) => runtime?.reportAuthFailure(detail),
  });
  const channelRuntime = createChannelRuntime({
    channel,
    logger,
    backoff: common.backoff,
    checkToken: (signal) => options.checkToken(client, signal),
  });
  runtime = channelRuntime;
  const { send, collect } = options.build({ client, common, logger });

  return {
    channel,
    start: (ctx) => channelRuntime.start(ctx),
    stop: () => channelRuntime.stop(),
    send,
    verifySubscription: (query) => answerSubscription(query, config.verifyToken),
    handleWebhook: (request) =>
      handleMetaWebhook(request, {
        channel,
        appSecret: config.appSecret,
        expectedObject: options.expectedObject,
        run: channelRuntime.current(),
        logger,
        collect,
      }),
  };
}
