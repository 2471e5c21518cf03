// The parts of an Instagram messaging webhook (`entry[].messaging[]`) the adapter reads. Every field
// is optional: each event is checked as it is read.

export type IgReferral = { ref?: string; source?: string; type?: string };

export type IgAttachment = {
  type?: string;
  payload?: { url?: string; title?: string; reel_video_id?: string };
};

export type IgMessage = {
  mid?: string;
  text?: string;
  attachments?: IgAttachment[];
  is_echo?: boolean;
  is_deleted?: boolean;
  is_unsupported?: boolean;
  quick_reply?: { payload?: string };
  reply_to?: { mid?: string; story?: { url?: string; id?: string } };
  referral?: IgReferral;
};

export type IgEvent = {
  sender?: { id?: string };
  recipient?: { id?: string };
  timestamp?: number;
  message?: IgMessage;
  postback?: { mid?: string; title?: string; payload?: string; referral?: IgReferral };
  referral?: IgReferral;
  read?: { mid?: string };
  reaction?: { mid?: string; action?: string };
  message_edit?: { mid?: string };
};

export type IgEntry = { id?: string; time?: number; messaging?: IgEvent[]; changes?: { field?: string }[] };
