import { proto } from '@whiskeysockets/baileys';
import { describe, expect, it, vi } from 'vitest';
import { OFFICE_PN, receivedMessage } from '../test/message-fixtures.ts';
import { normalizeWebMessage, withPhoneJid } from './normalize.ts';
import type { MediaFetcher } from './types.ts';
import { parseVcard } from './vcard.ts';

const SITI_LID = '207544410000123@lid';
const SITI_PN = '6281234567890@s.whatsapp.net';
const noMedia: MediaFetcher = async () => new Uint8Array();
const options = { acceptGroups: false, fetchMedia: noMedia };

function expectMessage(result: ReturnType<typeof normalizeWebMessage>) {
  if (result.kind !== 'message') throw new Error(`expected a message, got skipped: ${result.reason}`);
  return result.message;
}

describe('normalizeWebMessage: identity', () => {
  it('keys a LID sender on the LID and keeps the phone from sender_pn', async () => {
    const raw = await receivedMessage({
      from: SITI_LID,
      id: '3EB0AAA111',
      t: 1_740_000_000,
      pushName: 'Siti Rahayu',
      attrs: { sender_pn: SITI_PN },
      message: { conversation: 'Mau tanya syarat KTP' },
    });
    expect(raw.key.remoteJidAlt).toBe(SITI_PN);
    expect(expectMessage(normalizeWebMessage(raw, options))).toEqual({
      channel: 'whatsapp',
      externalMessageId: '3EB0AAA111',
      externalUserId: SITI_LID,
      aliasUserIds: [SITI_PN],
      externalThreadId: SITI_LID,
      displayName: 'Siti Rahayu',
      phone: '+6281234567890',
      sentAt: new Date(1_740_000_000 * 1000),
      text: 'Mau tanya syarat KTP',
      attachments: [],
    });
  });

  it('keys a phone sender on its LID when the server sends sender_lid, and replies to the phone JID', async () => {
    const raw = await receivedMessage({
      from: SITI_PN,
      attrs: { sender_lid: SITI_LID },
      message: { conversation: 'halo' },
    });
    const message = expectMessage(normalizeWebMessage(raw, options));
    expect(message).toMatchObject({
      externalUserId: SITI_LID,
      aliasUserIds: [SITI_PN],
      externalThreadId: SITI_PN,
      phone: '+6281234567890',
    });
  });

  it('has no phone when a LID arrives without the phone JID', async () => {
    const raw = await receivedMessage({ from: SITI_LID, message: { conversation: 'halo' } });
    const message = expectMessage(normalizeWebMessage(raw, options));
    expect(message.externalUserId).toBe(SITI_LID);
    expect(message.phone).toBeUndefined();
    expect(message.aliasUserIds).toBeUndefined();
    expect(message.displayName).toBe('207544410000123');
  });

  it('strips device suffixes', async () => {
    const raw = await receivedMessage({
      from: '207544410000123:12@lid',
      attrs: { sender_pn: '6281234567890:12@s.whatsapp.net' },
      message: { conversation: 'halo' },
    });
    expect(expectMessage(normalizeWebMessage(raw, options))).toMatchObject({
      externalUserId: SITI_LID,
      aliasUserIds: [SITI_PN],
      externalThreadId: SITI_LID,
    });
  });

  it('adds a phone JID learned later with withPhoneJid', async () => {
    const raw = await receivedMessage({ from: SITI_LID, message: { conversation: 'halo' } });
    const message = withPhoneJid(expectMessage(normalizeWebMessage(raw, options)), `${SITI_PN}`);
    expect(message).toMatchObject({ phone: '+6281234567890', aliasUserIds: [SITI_PN] });
  });
});

describe('normalizeWebMessage: content', () => {
  it('reads extended text and unwraps disappearing messages', async () => {
    const extended = await receivedMessage({
      from: SITI_LID,
      message: { extendedTextMessage: { text: 'lihat https://kelurahan.go.id' } },
    });
    expect(expectMessage(normalizeWebMessage(extended, options)).text).toBe('lihat https://kelurahan.go.id');
    const ephemeral = await receivedMessage({
      from: SITI_LID,
      message: { ephemeralMessage: { message: { conversation: 'pesan sementara' } } },
    });
    expect(expectMessage(normalizeWebMessage(ephemeral, options)).text).toBe('pesan sementara');
  });

  it('turns an image into an attachment that downloads through fetchMedia', async () => {
    const fetchMedia = vi.fn<MediaFetcher>(async () => new Uint8Array([1, 2, 3]));
    const raw = await receivedMessage({
      from: SITI_LID,
      message: {
        imageMessage: {
          mimetype: 'image/jpeg',
          caption: 'foto KK',
          fileLength: 48_213,
          mediaKey: Buffer.alloc(32),
        },
      },
    });
    const message = expectMessage(normalizeWebMessage(raw, { acceptGroups: false, fetchMedia }));
    expect(message.text).toBe('foto KK');
    expect(message.attachments).toMatchObject([{ kind: 'image', mime: 'image/jpeg', size: 48_213 }]);
    expect(await message.attachments[0]?.fetch(1000)).toEqual(new Uint8Array([1, 2, 3]));
    expect(fetchMedia).toHaveBeenCalledWith(raw, 48_213, 1000);
  });

  it('reads a document with a caption, and audio and video', async () => {
    const document = await receivedMessage({
      from: SITI_LID,
      message: {
        documentWithCaptionMessage: {
          message: {
            documentMessage: {
              mimetype: 'application/pdf',
              fileName: 'surat-pengantar.pdf',
              caption: 'ini suratnya',
              fileLength: 120_000,
            },
          },
        },
      },
    });
    expect(expectMessage(normalizeWebMessage(document, options))).toMatchObject({
      text: 'ini suratnya',
      attachments: [
        { kind: 'document', mime: 'application/pdf', name: 'surat-pengantar.pdf', size: 120_000 },
      ],
    });
    const voice = await receivedMessage({
      from: SITI_LID,
      message: { audioMessage: { ptt: true, seconds: 9 } },
    });
    expect(expectMessage(normalizeWebMessage(voice, options))).toMatchObject({
      text: '',
      attachments: [{ kind: 'audio', mime: 'audio/ogg; codecs=opus' }],
    });
    const video = await receivedMessage({
      from: SITI_LID,
      message: { videoMessage: { mimetype: 'video/mp4', caption: 'jalan rusak' } },
    });
    expect(expectMessage(normalizeWebMessage(video, options))).toMatchObject({
      text: 'jalan rusak',
      attachments: [{ kind: 'video', mime: 'video/mp4' }],
    });
  });

  it('reads a location', async () => {
    const raw = await receivedMessage({
      from: SITI_LID,
      message: {
        locationMessage: {
          degreesLatitude: -6.2,
          degreesLongitude: 106.8,
          name: 'Kantor Kelurahan',
          address: 'Jl. Merdeka 1',
        },
      },
    });
    expect(expectMessage(normalizeWebMessage(raw, options))).toMatchObject({
      text: '',
      attachments: [],
      location: { latitude: -6.2, longitude: 106.8, title: 'Kantor Kelurahan', address: 'Jl. Merdeka 1' },
    });
  });

  it('reads shared contacts from their vCards', async () => {
    const vcard = (name: string, waid: string, shown: string) =>
      `BEGIN:VCARD\nVERSION:3.0\nN:;${name};;;\nFN:${name}\nTEL;type=CELL;type=VOICE;waid=${waid}:${shown}\nEND:VCARD`;
    const single = await receivedMessage({
      from: SITI_LID,
      message: {
        contactMessage: {
          displayName: 'Pak RT',
          vcard: vcard('Pak RT', '6281311112222', '+62 813-1111-2222'),
        },
      },
    });
    expect(expectMessage(normalizeWebMessage(single, options)).contacts).toEqual([
      { name: 'Pak RT', phone: '+6281311112222', externalUserId: '6281311112222@s.whatsapp.net' },
    ]);
    const several = await receivedMessage({
      from: SITI_LID,
      message: {
        contactsArrayMessage: {
          displayName: '2 kontak',
          contacts: [
            { displayName: 'Bu RW', vcard: vcard('Bu RW', '6281322223333', '+62 813-2222-3333') },
            { displayName: 'Lurah', vcard: 'BEGIN:VCARD\nFN:Lurah\nTEL:021-555 1234\nEND:VCARD' },
          ],
        },
      },
    });
    expect(expectMessage(normalizeWebMessage(several, options)).contacts).toEqual([
      { name: 'Bu RW', phone: '+6281322223333', externalUserId: '6281322223333@s.whatsapp.net' },
      { name: 'Lurah', phone: '0215551234' },
    ]);
  });
});

describe('normalizeWebMessage: what is skipped', () => {
  it('skips our own messages', async () => {
    const raw = await receivedMessage({
      from: OFFICE_PN,
      attrs: { recipient: SITI_PN },
      message: { conversation: 'balasan dari HP kantor' },
    });
    expect(raw.key.fromMe).toBe(true);
    expect(normalizeWebMessage(raw, options)).toMatchObject({ kind: 'skipped', reason: 'from_me' });
  });

  it('skips status updates, newsletters and broadcast lists', async () => {
    const status = await receivedMessage({
      from: 'status@broadcast',
      participant: SITI_PN,
      message: { conversation: 'status' },
    });
    expect(normalizeWebMessage(status, options)).toMatchObject({ reason: 'status_broadcast' });
    const newsletter = await receivedMessage({
      from: '120363000000000001@newsletter',
      message: { conversation: 'x' },
    });
    expect(normalizeWebMessage(newsletter, options)).toMatchObject({ reason: 'newsletter' });
    const broadcast = await receivedMessage({
      from: '1740000000@broadcast',
      participant: SITI_PN,
      message: { conversation: 'x' },
    });
    expect(normalizeWebMessage(broadcast, options)).toMatchObject({ reason: 'broadcast' });
  });

  it('skips groups unless they are accepted, and then keys the participant', async () => {
    const raw = await receivedMessage({
      from: '120363025246125888@g.us',
      participant: SITI_LID,
      attrs: { participant_pn: SITI_PN, addressing_mode: 'lid' },
      message: { conversation: 'di grup RT' },
    });
    expect(normalizeWebMessage(raw, options)).toMatchObject({ kind: 'skipped', reason: 'group' });
    expect(expectMessage(normalizeWebMessage(raw, { ...options, acceptGroups: true }))).toMatchObject({
      externalUserId: SITI_LID,
      aliasUserIds: [SITI_PN],
      phone: '+6281234567890',
      externalThreadId: '120363025246125888@g.us',
    });
  });

  it('skips reactions, protocol messages and polls as unsupported', async () => {
    const reaction = await receivedMessage({
      from: SITI_LID,
      message: { reactionMessage: { text: '👍', key: { id: 'X', remoteJid: SITI_LID } } },
    });
    expect(normalizeWebMessage(reaction, options)).toMatchObject({
      reason: 'unsupported_message',
      detail: { contentType: 'reactionMessage' },
    });
    const revoke = await receivedMessage({
      from: SITI_LID,
      message: { protocolMessage: { type: proto.Message.ProtocolMessage.Type.REVOKE, key: { id: 'X' } } },
    });
    expect(normalizeWebMessage(revoke, options)).toMatchObject({ reason: 'unsupported_message' });
  });

  it('skips a stub that carries no content', async () => {
    const raw = await receivedMessage({ from: SITI_LID, message: { conversation: 'x' } });
    raw.message = null;
    raw.messageStubType = proto.WebMessageInfo.StubType.CIPHERTEXT;
    expect(normalizeWebMessage(raw, options)).toMatchObject({ reason: 'no_content' });
  });
});

describe('parseVcard', () => {
  it('unfolds lines, unescapes text, and falls back to N and then the display name', () => {
    expect(parseVcard('BEGIN:VCARD\nFN:Budi\\, S.Kom\nTEL:+62 812\n 3456\nEND:VCARD')).toEqual({
      name: 'Budi, S.Kom',
      phone: '+628123456',
    });
    expect(parseVcard('BEGIN:VCARD\nN:Santoso;Budi;;;\nEND:VCARD')).toEqual({ name: 'Budi Santoso' });
    expect(parseVcard('', 'Dari WhatsApp')).toEqual({ name: 'Dari WhatsApp' });
    expect(parseVcard('item1.TEL;waid=628777:+62 877\nitem1.X-ABLabel:Ponsel')).toEqual({
      name: '',
      phone: '+628777',
      externalUserId: '628777@s.whatsapp.net',
    });
  });
});
