export { createApi, type LoketApp } from './app.ts';
export type { ApiDeps, ChannelWebhook, MetaWebhook, WhatsAppPairing } from './context.ts';
export { ApiError, errorCodeSchema, STATUS_OF } from './errors.ts';
export { generateToken, hashToken } from './tokens.ts';
