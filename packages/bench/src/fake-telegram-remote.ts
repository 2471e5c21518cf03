// Starts fake-telegram-thread.ts and talks to it.
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

export type RemoteFakeTelegram = {
  token: string;
  apiRoot: string;
  /** When each sendMessage reached the fake (ms since the epoch), in arrival order. */
  arrivals(): Promise<number[]>;
  close(): Promise<void>;
};

export async function startRemoteFakeTelegram(): Promise<RemoteFakeTelegram> {
  // tsx loads the TypeScript thread the way it loads the bench itself (a worker ignores --import).
  const thread = new URL('./fake-telegram-thread.ts', import.meta.url).href;
  const tsxApi = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsxApi)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(thread)}); })`,
    { eval: true },
  );
  const [ready] = (await once(worker, 'message')) as [{ token: string; apiRoot: string }];
  const ask = async <T>(request: string): Promise<T> => {
    worker.postMessage(request);
    const [answer] = (await once(worker, 'message')) as [T];
    return answer;
  };
  return {
    token: ready.token,
    apiRoot: ready.apiRoot,
    arrivals: async () => (await ask<{ arrivals: number[] }>('arrivals')).arrivals,
    close: async () => {
      await ask('close');
      await worker.terminate();
    },
  };
}
