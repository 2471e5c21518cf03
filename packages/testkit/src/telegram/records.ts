import type { ApiParams, UploadedFile } from './request-params.ts';
import type { TgMessage } from './types.ts';

/** What the fake remembers, so tests can assert on what a client really sent. */

export type ApiCall = { method: string; params: ApiParams; at: Date };

export type GetUpdatesCall = { offset?: number; limit?: number; timeout?: number; allowedUpdates?: string[] };

/** An uploaded file, or a file_id / URL the client referred to instead of uploading. */
export type SentDocument = UploadedFile | { kind: 'reference'; reference: string };

export type SentMessage = {
  method: 'sendMessage' | 'sendDocument';
  chatId: string;
  text?: string;
  caption?: string;
  document?: SentDocument;
  params: ApiParams;
  message: TgMessage;
};

export type WebhookState = { url: string; secretToken?: string; allowedUpdates?: string[] };

export type WebhookCall = { method: 'setWebhook' | 'deleteWebhook'; params: ApiParams };

export type StoredFile = { bytes: Uint8Array; path: string; reportSize: boolean };
