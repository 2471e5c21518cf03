/** One HTTP request the fake received, as a test sees it. */
export type GraphRequestRecord = {
  method: string;
  path: string;
  query: Record<string, string>;
  /** The Authorization header as sent, or undefined. */
  authorization: string | undefined;
};

/** A WhatsApp message the fake accepted (`POST /{phone-number-id}/messages`). */
export type GraphWhatsAppMessage = {
  id: string;
  to: string;
  type: string;
  text?: string;
  mediaId?: string;
  filename?: string;
  /** The JSON body exactly as parsed. */
  body: Record<string, unknown>;
};

/** An Instagram message the fake accepted (`POST /{ig-account-id}/messages`). */
export type GraphInstagramMessage = {
  id: string;
  recipientId: string;
  text?: string;
  messagingType?: string;
  tag?: string;
  body: Record<string, unknown>;
};

/** A file uploaded to the WhatsApp media store (`POST /{phone-number-id}/media`). */
export type GraphUploadedMedia = {
  id: string;
  bytes: Uint8Array;
  mime: string;
  filename?: string;
  /** The `type` form field. */
  type?: string;
  messagingProduct?: string;
};

export type StoredMedia = {
  id: string;
  bytes: Uint8Array;
  mime: string;
  /** What `file_size` says; by default the true size. */
  reportedSize: number;
  /** False leaves Content-Length out of the download, to exercise a client's streaming check. */
  sendLength: boolean;
};

export type GraphInstagramProfile = { name?: string; username?: string };
