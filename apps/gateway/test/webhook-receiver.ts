// A real HTTP receiver on 127.0.0.1 for the webhook tests: it records every request and answers as
// the test says (a status, or never).
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';

export type ReceivedDelivery = {
  headers: IncomingHttpHeaders;
  rawBody: string;
  body: { id: string; type: string };
};

/** What to answer the `n`-th request (from 1): a status, or 'hang' to never answer. */
export type Answer = (n: number, delivery: ReceivedDelivery) => number | 'hang';

export type WebhookReceiver = {
  url: string;
  deliveries: ReceivedDelivery[];
  /** Ids of the events received, in arrival order (repeats included). */
  ids(): string[];
  close(): Promise<void>;
};

export async function startWebhookReceiver(answer: Answer = () => 200): Promise<WebhookReceiver> {
  const deliveries: ReceivedDelivery[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const delivery = { headers: request.headers, rawBody, body: JSON.parse(rawBody) };
      deliveries.push(delivery);
      const status = answer(deliveries.length, delivery);
      if (status === 'hang') {
        hanging.push(response);
        return;
      }
      response.writeHead(status, status >= 300 && status < 400 ? { location: 'http://127.0.0.1:1/' } : {});
      response.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    deliveries,
    ids: () => deliveries.map((d) => d.body.id),
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      for (const response of hanging) response.destroy();
      await closed;
    },
  };
}
