// `loket whatsapp pair`: links the office's WhatsApp number from a terminal. It prints the QR (or, with
// --phone, a code to type on the phone), waits until the phone has linked, and leaves the session in
// the database for `loket start`. Messages that arrive meanwhile are stored like any other.
import path from 'node:path';
import { systemClock } from '@loket/core';
import { createRepositories, openMigratedDatabase } from '@loket/db';
import { createInboundPipeline, MediaStore } from '@loket/gateway';
import QRCode from 'qrcode';
import { whatsappChannel } from './channels.ts';
import type { Env } from './env.ts';
import type { AppLogger } from './logger.ts';
import { databaseTarget } from './server.ts';

const PAIRING_TIMEOUT_MS = 5 * 60_000;

export async function pairWhatsApp(
  env: Env,
  logger: AppLogger,
  options: { phone?: string },
): Promise<number> {
  const database = await openMigratedDatabase(databaseTarget(env));
  const repos = createRepositories(database);
  const inbound = createInboundPipeline({
    store: repos.inbox,
    clock: systemClock,
    policy: { current: () => repos.settings.getPolicy() },
    media: new MediaStore(path.join(path.resolve(env.DATA_DIR), 'media')),
    logger,
    maxAttachmentBytes: env.MAX_ATTACHMENT_BYTES,
    onRepliesQueued: () => {},
  });
  const adapter = await whatsappChannel(env, logger, repos);
  const abort = new AbortController();
  let shownQr: string | null = null;
  let codeRequested = false;

  const outcome = new Promise<number>((resolve) => {
    const timer = setTimeout(() => {
      console.error('No phone linked within 5 minutes. Run the command again to get a fresh QR.');
      resolve(1);
    }, PAIRING_TIMEOUT_MS);
    const done = (code: number) => {
      clearTimeout(timer);
      resolve(code);
    };
    adapter
      .start({
        signal: abort.signal,
        onMessage: (message) => inbound.handle(message),
        onRejected: (reason, detail) => inbound.reject('whatsapp', reason, detail),
        onStatus: (status) => {
          if (status.state === 'connected') {
            console.log('WhatsApp is linked. Start Loket with `pnpm start` and enable the channel.');
            done(0);
          } else if (status.state === 'banned' || status.state === 'replaced' || status.state === 'error') {
            console.error(`WhatsApp: ${status.state}${status.detail ? ` (${status.detail})` : ''}`);
            done(1);
          }
        },
      })
      .catch((error: unknown) => {
        console.error(`WhatsApp could not start: ${error instanceof Error ? error.message : String(error)}`);
        done(1);
      });
  });

  // The QR changes every few seconds until it is scanned; show each new one.
  const poll = setInterval(() => {
    const qr = adapter.currentQr();
    if (!qr || qr.qr === shownQr) return;
    shownQr = qr.qr;
    if (options.phone) {
      if (codeRequested) return;
      codeRequested = true;
      adapter.requestPairingCode(options.phone).then(
        (code) =>
          console.log(`On the phone: WhatsApp → Linked devices → Link with phone number, then type ${code}`),
        (error: unknown) =>
          console.error(`No pairing code: ${error instanceof Error ? error.message : String(error)}`),
      );
      return;
    }
    QRCode.toString(qr.qr, { type: 'terminal', small: true }).then((art) => {
      console.log('\nScan with the office phone: WhatsApp → Linked devices → Link a device\n');
      console.log(art);
    });
  }, 250);

  const code = await outcome;
  clearInterval(poll);
  abort.abort();
  await adapter.stop();
  await database.close();
  return code;
}
