import type { InboundMessage } from '@loket/core';
import {
  callbackQueryUpdate,
  channelPostUpdate,
  contactMessageUpdate,
  documentMessageUpdate,
  editedTextMessageUpdate,
  groupTextMessageUpdate,
  locationMessageUpdate,
  photoMessageUpdate,
  pollUpdate,
  startCommandUpdate,
  stickerMessageUpdate,
  type TgUpdatePayload,
  textMessageUpdate,
  venueMessageUpdate,
  voiceMessageUpdate,
} from '@loket/testkit';
import type { Update } from 'telegraf/types';
import { describe, expect, it, vi } from 'vitest';
import { isUpdateObject, normalizeUpdate, parseStartCommand } from './normalize.ts';
import type { FileFetcher, NormalizedUpdate } from './types.ts';

const siti = { id: 5_551_234, firstName: 'Siti', lastName: 'Rahayu', username: 'sitirahayu' };
const noFetch: FileFetcher = async () => {
  throw new Error('not expected to fetch');
};

/** The testkit's fixtures are wire-shaped JSON; Telegraf's Update type is the same wire shape. */
function asUpdate(payload: TgUpdatePayload | Record<string, unknown>, updateId = 1): Update {
  return { update_id: updateId, ...payload } as unknown as Update;
}

function message(outcome: NormalizedUpdate): InboundMessage {
  if (outcome.kind !== 'message') throw new Error(`expected a message, got skipped: ${outcome.reason}`);
  return outcome.message;
}

describe('normalizeUpdate', () => {
  it('normalises a text message exactly as Telegram sends it', () => {
    // Recorded shape of a private-chat text update (ids changed).
    const raw = {
      update_id: 730512345,
      message: {
        message_id: 412,
        from: {
          id: 5551234,
          is_bot: false,
          first_name: 'Siti',
          last_name: 'Rahayu',
          username: 'sitirahayu',
          language_code: 'id',
        },
        chat: {
          id: 5551234,
          first_name: 'Siti',
          last_name: 'Rahayu',
          username: 'sitirahayu',
          type: 'private',
        },
        date: 1740965400,
        text: 'Selamat pagi, mau tanya syarat pindah domisili',
      },
    };
    expect(message(normalizeUpdate(raw as unknown as Update, noFetch))).toEqual({
      channel: 'telegram',
      externalMessageId: '5551234:412',
      externalUserId: '5551234',
      externalThreadId: '5551234',
      displayName: 'Siti Rahayu',
      handle: 'sitirahayu',
      sentAt: new Date(1740965400 * 1000),
      text: 'Selamat pagi, mau tanya syarat pindah domisili',
      attachments: [],
    });
  });

  it('names a sender without a last name or username sensibly', () => {
    const onlyFirst = message(
      normalizeUpdate(
        asUpdate(textMessageUpdate({ from: { id: 9, firstName: 'Budi' }, text: 'x' })),
        noFetch,
      ),
    );
    expect(onlyFirst.displayName).toBe('Budi');
    expect(onlyFirst.handle).toBeUndefined();
    const blankName = message(
      normalizeUpdate(
        asUpdate(textMessageUpdate({ from: { id: 9, firstName: ' ', username: 'budi_k' }, text: 'x' })),
        noFetch,
      ),
    );
    expect(blankName.displayName).toBe('@budi_k');
  });

  it('takes the referral code from /start <code> and keeps the text "/start"', () => {
    const referred = message(
      normalizeUpdate(asUpdate(startCommandUpdate({ from: siti, code: 'KEL-Beji_07' })), noFetch),
    );
    expect(referred).toMatchObject({ text: '/start', referralCode: 'KEL-Beji_07' });
    const plain = message(normalizeUpdate(asUpdate(startCommandUpdate({ from: siti })), noFetch));
    expect(plain.text).toBe('/start');
    expect(plain.referralCode).toBeUndefined();
  });

  it('uses the largest photo size and the caption as text', async () => {
    const fetchFile = vi.fn<FileFetcher>(async () => new Uint8Array([1]));
    const update = asUpdate(
      photoMessageUpdate({
        from: siti,
        fileId: 'big',
        caption: 'Foto KTP rusak',
        sizes: [
          { width: 90, height: 51, fileSize: 1000 },
          { width: 1280, height: 720, fileSize: 90_000 },
          { width: 320, height: 180, fileSize: 12_000 },
        ],
      }),
    );
    const normalized = message(normalizeUpdate(update, fetchFile));
    expect(normalized.text).toBe('Foto KTP rusak');
    expect(normalized.attachments).toHaveLength(1);
    expect(normalized.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: 90_000 });
    // Sizes out of order on purpose: the choice is by pixels, not by position.
    await normalized.attachments[0]?.fetch(500_000);
    expect(fetchFile).toHaveBeenCalledWith('big', 90_000, 500_000);
  });

  it('describes a document with its name, mime type and size', () => {
    const update = asUpdate(
      documentMessageUpdate({
        from: siti,
        fileId: 'doc',
        fileName: 'kk.pdf',
        mimeType: 'application/pdf',
        fileSize: 2048,
      }),
    );
    expect(message(normalizeUpdate(update, noFetch)).attachments[0]).toMatchObject({
      kind: 'document',
      mime: 'application/pdf',
      name: 'kk.pdf',
      size: 2048,
    });
  });

  it('takes a voice note as an audio attachment', () => {
    const update = asUpdate(voiceMessageUpdate({ from: siti, fileId: 'voice', duration: 4, fileSize: 9000 }));
    const normalized = message(normalizeUpdate(update, noFetch));
    expect(normalized.text).toBe('');
    expect(normalized.attachments[0]).toMatchObject({ kind: 'audio', mime: 'audio/ogg', size: 9000 });
  });

  it('normalises a location and a venue', () => {
    const location = message(
      normalizeUpdate(
        asUpdate(locationMessageUpdate({ from: siti, latitude: -6.4025, longitude: 106.7942 })),
        noFetch,
      ),
    );
    expect(location.location).toEqual({ latitude: -6.4025, longitude: 106.7942 });
    const venue = message(
      normalizeUpdate(
        asUpdate(
          venueMessageUpdate({
            from: siti,
            latitude: -6.39,
            longitude: 106.82,
            title: 'Kantor Kelurahan Beji',
            address: 'Jl. Bungur Raya',
          }),
        ),
        noFetch,
      ),
    );
    expect(venue.location).toEqual({
      latitude: -6.39,
      longitude: 106.82,
      title: 'Kantor Kelurahan Beji',
      address: 'Jl. Bungur Raya',
    });
  });

  it("turns a shared contact into a contact card, and one's own number into the sender phone", () => {
    const own = message(
      normalizeUpdate(
        asUpdate(
          contactMessageUpdate({
            from: siti,
            phoneNumber: '6281234567890',
            firstName: 'Siti',
            userId: siti.id,
          }),
        ),
        noFetch,
      ),
    );
    expect(own.phone).toBe('6281234567890');
    expect(own.contacts).toEqual([{ name: 'Siti', phone: '6281234567890', externalUserId: String(siti.id) }]);

    const other = message(
      normalizeUpdate(
        asUpdate(
          contactMessageUpdate({ from: siti, phoneNumber: '+628111', firstName: 'Pak', lastName: 'RT' }),
        ),
        noFetch,
      ),
    );
    expect(other.phone).toBeUndefined();
    expect(other.contacts).toEqual([{ name: 'Pak RT', phone: '+628111' }]);
  });

  it.each([
    [
      'an edited message',
      editedTextMessageUpdate({ from: siti, text: 'ralat' }),
      'unsupported_update',
      'edited_message',
    ],
    [
      'a channel post',
      channelPostUpdate({ channelId: -100123, title: 'Info', text: 'x' }),
      'unsupported_update',
      'channel_post',
    ],
    ['a poll', pollUpdate({ question: 'Setuju?', options: ['ya', 'tidak'] }), 'unsupported_update', 'poll'],
    [
      'a callback query',
      callbackQueryUpdate({ from: siti, data: 'ok' }),
      'unsupported_update',
      'callback_query',
    ],
    [
      'a group message',
      groupTextMessageUpdate({ from: siti, groupId: -100777, title: 'RW 03', text: 'halo' }),
      'non_private_chat',
      'message',
    ],
    ['a sticker-only message', stickerMessageUpdate({ from: siti }), 'unsupported_message', 'message'],
  ])('skips %s', (_name, payload, reason, kind) => {
    const outcome = normalizeUpdate(asUpdate(payload, 42), noFetch);
    expect(outcome).toMatchObject({ kind: 'skipped', reason, detail: { updateId: 42, updateKind: kind } });
  });
});

describe('parseStartCommand', () => {
  it.each([
    ['/start', { text: '/start' }],
    ['/start abc_DEF-123', { text: '/start', referralCode: 'abc_DEF-123' }],
    ['/start@loket_bot kel01', { text: '/start', referralCode: 'kel01' }],
    ['/start not a code', undefined],
    ['/starting', undefined],
    ['halo /start x', undefined],
  ])('%s', (text, expected) => {
    expect(parseStartCommand(text)).toEqual(expected);
  });
});

describe('isUpdateObject', () => {
  it('accepts objects with an integer update_id only', () => {
    expect(isUpdateObject({ update_id: 1, message: {} })).toBe(true);
    for (const body of [null, undefined, 'x', 1, [], {}, { update_id: '1' }, { update_id: 1.5 }]) {
      expect(isUpdateObject(body)).toBe(false);
    }
  });
});
