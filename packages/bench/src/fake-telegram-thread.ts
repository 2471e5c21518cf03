// The fake Bot API in a thread of its own, so that the arrival times it records are not held up by
// the sender's event loop (the delivery worker, Prisma): a real platform is not in our process either.
import { parentPort } from 'node:worker_threads';
import { startFakeTelegram } from '@loket/testkit';

const port = parentPort;
if (!port) throw new Error('fake-telegram-thread.ts runs as a worker thread');
const fake = await startFakeTelegram();
port.on('message', async (request: 'arrivals' | 'close') => {
  if (request === 'arrivals') {
    port.postMessage({ arrivals: fake.callsTo('sendMessage').map((call) => call.at.getTime()) });
    return;
  }
  await fake.close();
  port.postMessage({ closed: true });
  port.close();
});
port.postMessage({ token: fake.token, apiRoot: fake.apiRoot });
