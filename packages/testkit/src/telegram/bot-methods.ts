import { ApiFailure } from './failures.ts';
import type {
  GetUpdatesCall,
  SentDocument,
  SentMessage,
  StoredFile,
  WebhookCall,
  WebhookState,
} from './records.ts';
import {
  type ApiParams,
  booleanParam,
  isUpload,
  numberParam,
  stringListParam,
  stringParam,
} from './request-params.ts';
import type { TgChat, TgFile, TgMessage, TgUser } from './types.ts';
import type { UpdateQueue } from './update-queue.ts';

/** The fake's mutable world, shared by the server and the method handlers. */
export type FakeTelegramState = {
  bot: TgUser;
  queue: UpdateQueue;
  files: Map<string, StoredFile>;
  webhook: WebhookState | undefined;
  lastMessageId: number;
  sent: SentMessage[];
  getUpdatesCalls: GetUpdatesCall[];
  webhookCalls: WebhookCall[];
};

/** Resolves to the `result` of a successful call; throws ApiFailure for a Bot API error. */
export type BotMethod = (params: ApiParams, clientGone: AbortSignal) => unknown;

const MAX_TEXT_LENGTH = 4096;
const MAX_CAPTION_LENGTH = 1024;
const SECRET_TOKEN_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

function requireChatId(params: ApiParams): string {
  const chatId = stringParam(params, 'chat_id');
  if (!chatId) throw new ApiFailure(400, 'Bad Request: chat_id is empty');
  return chatId;
}

function chatFor(chatId: string): TgChat {
  const id = Number(chatId);
  if (!Number.isSafeInteger(id)) throw new ApiFailure(400, 'Bad Request: chat not found');
  return { id, type: id > 0 ? 'private' : 'supergroup' };
}

function newMessage(state: FakeTelegramState, chatId: string): TgMessage {
  state.lastMessageId += 1;
  return {
    message_id: state.lastMessageId,
    from: state.bot,
    chat: chatFor(chatId),
    date: Math.floor(Date.now() / 1000),
  };
}

function sendMessage(state: FakeTelegramState, params: ApiParams): TgMessage {
  const chatId = requireChatId(params);
  const text = stringParam(params, 'text') ?? '';
  if (text.trim() === '') throw new ApiFailure(400, 'Bad Request: message text is empty');
  if (text.length > MAX_TEXT_LENGTH) throw new ApiFailure(400, 'Bad Request: message is too long');
  const message: TgMessage = { ...newMessage(state, chatId), text };
  state.sent.push({ method: 'sendMessage', chatId, text, params, message });
  return message;
}

function sendDocument(state: FakeTelegramState, params: ApiParams): TgMessage {
  const chatId = requireChatId(params);
  const raw = params.document;
  let document: SentDocument;
  if (isUpload(raw)) {
    document = raw;
  } else if (typeof raw === 'string' && raw !== '') {
    document = { kind: 'reference', reference: raw };
  } else {
    throw new ApiFailure(400, 'Bad Request: there is no document in the request');
  }
  const caption = stringParam(params, 'caption');
  if (caption !== undefined && caption.length > MAX_CAPTION_LENGTH) {
    throw new ApiFailure(400, 'Bad Request: message caption is too long');
  }

  const message = newMessage(state, chatId);
  const fileId = `BQACAgUAAxkDAAI${message.message_id}`;
  const fileName = document.kind === 'upload' ? document.fileName : 'document';
  if (document.kind === 'upload') {
    state.files.set(fileId, { bytes: document.bytes, path: `documents/${fileName}`, reportSize: true });
  }
  message.document = {
    file_id: fileId,
    file_unique_id: `AgAD${message.message_id}`,
    file_name: fileName,
    mime_type:
      document.kind === 'upload' && document.mimeType ? document.mimeType : 'application/octet-stream',
    ...(document.kind === 'upload' ? { file_size: document.bytes.length } : {}),
  };
  if (caption !== undefined) message.caption = caption;
  state.sent.push({
    method: 'sendDocument',
    chatId,
    document,
    params,
    message,
    ...(caption === undefined ? {} : { caption }),
  });
  return message;
}

function getFile(state: FakeTelegramState, params: ApiParams): TgFile {
  const fileId = stringParam(params, 'file_id') ?? '';
  const stored = state.files.get(fileId);
  if (!stored) throw new ApiFailure(400, 'Bad Request: invalid file_id');
  return {
    file_id: fileId,
    file_unique_id: `AgAD${fileId.slice(-8)}`,
    file_path: stored.path,
    ...(stored.reportSize ? { file_size: stored.bytes.length } : {}),
  };
}

function getUpdates(state: FakeTelegramState, params: ApiParams, clientGone: AbortSignal) {
  const call: GetUpdatesCall = {};
  const offset = numberParam(params, 'offset');
  const limit = numberParam(params, 'limit');
  const timeout = numberParam(params, 'timeout');
  const allowedUpdates = stringListParam(params, 'allowed_updates');
  if (offset !== undefined) call.offset = offset;
  if (limit !== undefined) call.limit = limit;
  if (timeout !== undefined) call.timeout = timeout;
  if (allowedUpdates !== undefined) call.allowedUpdates = allowedUpdates;
  state.getUpdatesCalls.push(call);

  if (state.webhook) {
    throw new ApiFailure(
      409,
      "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
    );
  }
  return state.queue.poll({
    clientGone,
    ...(offset === undefined ? {} : { offset }),
    ...(limit === undefined ? {} : { limit }),
    ...(timeout === undefined ? {} : { timeoutSeconds: timeout }),
  });
}

function setWebhook(state: FakeTelegramState, params: ApiParams): true {
  state.webhookCalls.push({ method: 'setWebhook', params });
  const url = stringParam(params, 'url') ?? '';
  const secretToken = stringParam(params, 'secret_token');
  if (secretToken !== undefined && !SECRET_TOKEN_PATTERN.test(secretToken)) {
    throw new ApiFailure(400, 'Bad Request: secret token contains unallowed characters');
  }
  if (booleanParam(params, 'drop_pending_updates')) state.queue.dropAll();
  if (url === '') {
    state.webhook = undefined;
    return true;
  }
  if (!/^https?:\/\//.test(url))
    throw new ApiFailure(400, 'Bad Request: bad webhook: HTTPS url must be provided for webhook');
  const allowedUpdates = stringListParam(params, 'allowed_updates');
  state.webhook = {
    url,
    ...(secretToken === undefined ? {} : { secretToken }),
    ...(allowedUpdates === undefined ? {} : { allowedUpdates }),
  };
  state.queue.terminateHeldPoll('Conflict: terminated by setWebhook request');
  return true;
}

function deleteWebhook(state: FakeTelegramState, params: ApiParams): true {
  state.webhookCalls.push({ method: 'deleteWebhook', params });
  state.webhook = undefined;
  if (booleanParam(params, 'drop_pending_updates')) state.queue.dropAll();
  return true;
}

/** Handlers keyed by lower-case method name, since Telegram matches method names case-insensitively. */
export function createBotMethods(state: FakeTelegramState): Map<string, BotMethod> {
  return new Map<string, BotMethod>([
    [
      'getme',
      () => ({
        ...state.bot,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
      }),
    ],
    ['getupdates', (params, clientGone) => getUpdates(state, params, clientGone)],
    ['getfile', (params) => getFile(state, params)],
    ['sendmessage', (params) => sendMessage(state, params)],
    ['senddocument', (params) => sendDocument(state, params)],
    ['sendchataction', (params) => Boolean(requireChatId(params))],
    ['setwebhook', (params) => setWebhook(state, params)],
    ['deletewebhook', (params) => deleteWebhook(state, params)],
    [
      'getwebhookinfo',
      () => ({
        url: state.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: state.queue.snapshot().length,
        ...(state.webhook?.allowedUpdates ? { allowed_updates: state.webhook.allowedUpdates } : {}),
      }),
    ],
  ]);
}
