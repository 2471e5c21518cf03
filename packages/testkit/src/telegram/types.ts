/**
 * The slice of the Telegram Bot API object shapes the fake produces and records. Field names are the
 * Bot API's own (snake_case) so fixtures can be replayed to a real SDK unchanged.
 */

export type TgUser = {
  id: number;
  is_bot: boolean;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
};

export type TgChat = {
  id: number;
  type: 'private' | 'group' | 'supergroup' | 'channel';
  title?: string;
  first_name?: string;
  last_name?: string;
  username?: string;
};

export type TgPhotoSize = {
  file_id: string;
  file_unique_id: string;
  width: number;
  height: number;
  file_size?: number;
};

export type TgDocument = {
  file_id: string;
  file_unique_id: string;
  file_name?: string;
  mime_type?: string;
  file_size?: number;
};

export type TgMessageEntity = { type: string; offset: number; length: number };

export type TgMessage = {
  message_id: number;
  date: number;
  chat: TgChat;
  from?: TgUser;
  sender_chat?: TgChat;
  edit_date?: number;
  text?: string;
  entities?: TgMessageEntity[];
  caption?: string;
  photo?: TgPhotoSize[];
  document?: TgDocument;
  voice?: {
    file_id: string;
    file_unique_id: string;
    duration: number;
    mime_type?: string;
    file_size?: number;
  };
  sticker?: {
    file_id: string;
    file_unique_id: string;
    type: 'regular';
    width: number;
    height: number;
    is_animated: boolean;
    is_video: boolean;
    emoji?: string;
  };
  location?: { latitude: number; longitude: number; horizontal_accuracy?: number };
  venue?: { location: { latitude: number; longitude: number }; title: string; address: string };
  contact?: {
    phone_number: string;
    first_name: string;
    last_name?: string;
    user_id?: number;
    vcard?: string;
  };
};

export type TgPoll = {
  id: string;
  question: string;
  options: { text: string; voter_count: number }[];
  total_voter_count: number;
  is_closed: boolean;
  is_anonymous: boolean;
  type: 'regular' | 'quiz';
  allows_multiple_answers: boolean;
};

export type TgCallbackQuery = {
  id: string;
  from: TgUser;
  chat_instance: string;
  data?: string;
  message?: TgMessage;
};

export type TgUpdate = {
  update_id: number;
  message?: TgMessage;
  edited_message?: TgMessage;
  channel_post?: TgMessage;
  edited_channel_post?: TgMessage;
  callback_query?: TgCallbackQuery;
  poll?: TgPoll;
};

/** An update before the fake numbers it. */
export type TgUpdatePayload = Omit<TgUpdate, 'update_id'>;

export type TgFile = { file_id: string; file_unique_id: string; file_size?: number; file_path?: string };
