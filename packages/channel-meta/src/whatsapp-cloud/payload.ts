// The parts of a WhatsApp Cloud API webhook the adapter reads. Every field is optional: the payload is
// checked as it is read, and an item missing what it needs is rejected, not trusted.

export type WaMedia = {
  id?: string;
  mime_type?: string;
  caption?: string;
  filename?: string;
  sha256?: string;
  voice?: boolean;
};

export type WaContactCard = {
  name?: { formatted_name?: string; first_name?: string; last_name?: string };
  phones?: { phone?: string; wa_id?: string; type?: string }[];
};

export type WaMessage = {
  from?: string;
  id?: string;
  timestamp?: string;
  type?: string;
  text?: { body?: string };
  image?: WaMedia;
  video?: WaMedia;
  audio?: WaMedia;
  document?: WaMedia;
  sticker?: WaMedia;
  location?: { latitude?: number; longitude?: number; name?: string; address?: string };
  contacts?: WaContactCard[];
  interactive?: {
    type?: string;
    button_reply?: { id?: string; title?: string };
    list_reply?: { id?: string; title?: string; description?: string };
  };
  button?: { text?: string; payload?: string };
  system?: { type?: string };
  errors?: { code?: number; title?: string }[];
};

export type WaStatusError = {
  code?: number;
  title?: string;
  message?: string;
  error_data?: { details?: string };
};

export type WaStatus = {
  id?: string;
  status?: string;
  timestamp?: string;
  recipient_id?: string;
  errors?: WaStatusError[];
};

export type WaValue = {
  messaging_product?: string;
  metadata?: { display_phone_number?: string; phone_number_id?: string };
  contacts?: { profile?: { name?: string }; wa_id?: string }[];
  messages?: WaMessage[];
  statuses?: WaStatus[];
  errors?: { code?: number; title?: string }[];
};

export type WaChange = { field?: string; value?: WaValue };
export type WaEntry = { id?: string; changes?: WaChange[] };
