import { ChannelError, type InboundMessage } from '@loket/core';
import {
  documentMessageUpdate,
  type FakeTelegram,
  photoMessageUpdate,
  startFakeTelegram,
  waitUntil,
} from '@loket/testkit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TelegramChannel, TelegramChannelConfig } from '../src/index.ts';
import { pollingChannel, recordingContext, siti } from './harness.ts';

let fake: FakeTelegram;
let channel: TelegramChannel | undefined;

beforeEach(async () => {
  fake = await startFakeTelegram();
});
afterEach(async () => {
  await channel?.stop();
  await fake.close();
});

function bytesOf(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, index) => index % 251);
}

async function receive(
  update: ReturnType<typeof photoMessageUpdate>,
  config: Partial<TelegramChannelConfig> = {},
) {
  channel = pollingChannel(fake, config);
  const recorder = recordingContext();
  await channel.start(recorder.ctx);
  fake.pushUpdate(update);
  await waitUntil(() => recorder.stored.length === 1);
  return recorder.stored[0] as InboundMessage;
}

async function fetchFailure(message: InboundMessage, maxBytes: number): Promise<ChannelError> {
  const error = await message.attachments[0]?.fetch(maxBytes).catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(ChannelError);
  return error as ChannelError;
}

describe('attachments fetched through getFile and the file endpoint', () => {
  it('fetches the largest photo size, with the caption as text', async () => {
    const photo = bytesOf(121_433);
    fake.addFile('AgACAgUAAxkBAAIBphoto', photo, 'photos/file_12.jpg');
    const message = await receive(
      photoMessageUpdate({ from: siti, fileId: 'AgACAgUAAxkBAAIBphoto', caption: 'Foto KK saya' }),
    );
    expect(message.text).toBe('Foto KK saya');
    expect(message.attachments).toHaveLength(1);
    expect(message.attachments[0]).toMatchObject({ kind: 'image', mime: 'image/jpeg', size: 121_433 });
    expect(await message.attachments[0]?.fetch(1024 * 1024)).toEqual(photo);
    expect(fake.callsTo('getFile')[0]?.params).toMatchObject({ file_id: 'AgACAgUAAxkBAAIBphoto' });
  });

  it('fetches a document and keeps its name and mime type', async () => {
    const pdf = bytesOf(50_000);
    fake.addFile('BQACAgUAAxkBAAIBdoc', pdf, 'documents/file_3.pdf');
    const message = await receive(
      documentMessageUpdate({
        from: siti,
        fileId: 'BQACAgUAAxkBAAIBdoc',
        fileName: 'akta-kelahiran.pdf',
        mimeType: 'application/pdf',
        fileSize: 50_000,
      }),
    );
    expect(message.attachments[0]).toMatchObject({
      kind: 'document',
      mime: 'application/pdf',
      name: 'akta-kelahiran.pdf',
    });
    expect(await message.attachments[0]?.fetch(50_000)).toEqual(pdf);
  });

  it('rejects an announced size over the limit before calling getFile', async () => {
    fake.addFile('big', bytesOf(10), 'documents/big.zip');
    const message = await receive(
      documentMessageUpdate({
        from: siti,
        fileId: 'big',
        fileName: 'big.zip',
        mimeType: 'application/zip',
        fileSize: 5_000_000,
      }),
    );
    const error = await fetchFailure(message, 1_000_000);
    expect(error).toMatchObject({ retryable: false, code: 'FILE_TOO_LARGE' });
    expect(fake.callsTo('getFile')).toHaveLength(0);
  });

  it('stops reading a download that grows past the limit when no size was announced', async () => {
    fake.addFile('unsized', bytesOf(200_000), 'documents/unsized.bin', { reportSize: false });
    const message = await receive(
      documentMessageUpdate({
        from: siti,
        fileId: 'unsized',
        fileName: 'scan.bin',
        mimeType: 'application/octet-stream',
      }),
    );
    expect(message.attachments[0]?.size).toBeUndefined();
    const error = await fetchFailure(message, 100_000);
    expect(error).toMatchObject({ retryable: false, code: 'FILE_TOO_LARGE' });
    expect(fake.callsTo('getFile')).toHaveLength(1);
    expect(await message.attachments[0]?.fetch(200_000)).toHaveLength(200_000);
  });

  it('caps every download at maxFileBytes, whatever the caller asks', async () => {
    fake.addFile('photo', bytesOf(5_000), 'photos/file_1.jpg');
    const message = await receive(photoMessageUpdate({ from: siti, fileId: 'photo' }), {
      maxFileBytes: 4_000,
    });
    expect(await fetchFailure(message, 10_000_000)).toMatchObject({ code: 'FILE_TOO_LARGE' });
  });

  it('reports a file Telegram no longer knows as non-retryable', async () => {
    const message = await receive(
      documentMessageUpdate({
        from: siti,
        fileId: 'gone',
        fileName: 'x.pdf',
        mimeType: 'application/pdf',
        fileSize: 10,
      }),
    );
    expect(await fetchFailure(message, 1000)).toMatchObject({ retryable: false, code: 'BAD_REQUEST' });
  });
});
