import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type FakeWhatsApp, startFakeWhatsApp, waitUntil } from '@loket/testkit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JsonBody, startLoketProcess } from './loket-process.ts';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const ADMIN_TOKEN = 'e2e-admin-token-0123456789';

describe('end to end: loket whatsapp pair --phone, then loket start on the same data', () => {
  let fake: FakeWhatsApp;
  let dataDir: string;
  const env = () => ({
    ...process.env,
    DATABASE_URL: '',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
    WHATSAPP_WS_URL: fake.url,
    WHATSAPP_TRUSTED_ROOT_KEY: Buffer.from(fake.rootPublicKey).toString('hex'),
  });

  beforeAll(async () => {
    fake = await startFakeWhatsApp();
    dataDir = await mkdtemp(path.join(tmpdir(), 'loket-pair-'));
  });
  afterAll(async () => {
    await fake?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('prints a pairing code, exits once the phone has linked, and leaves the session for start', async () => {
    const child = spawn('pnpm', ['-s', 'loket', 'whatsapp', 'pair', '--phone', '+62 812-3456-7890'], {
      cwd: REPO_ROOT,
      env: env(),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    await waitUntil(() => /then type ([A-Z0-9]{8})/.test(output), {
      timeoutMs: 60_000,
      message: 'no code printed',
    });
    const code = /then type ([A-Z0-9]{8})/.exec(output)?.[1] ?? '';
    const request = await fake.waitForPairingCodeRequest();
    expect(request.phoneNumber).toContain('6281234567890');
    await fake.enterPairingCode(code);
    expect(await exited).toBe(0);
    expect(output).toContain('WhatsApp is linked');

    const loket = await startLoketProcess(
      {
        LOKET_ADMIN_TOKEN: ADMIN_TOKEN,
        WHATSAPP_WS_URL: fake.url,
        WHATSAPP_TRUSTED_ROOT_KEY: Buffer.from(fake.rootPublicKey).toString('hex'),
      },
      { dataDir },
    );
    try {
      await loket.api('PATCH', '/v1/admin/channels/whatsapp', ADMIN_TOKEN, { enabled: true });
      await waitUntil(
        async () =>
          (await loket.api('GET', '/v1/admin/channels', ADMIN_TOKEN)).body.items.find(
            (c: JsonBody) => c.channel === 'whatsapp',
          )?.status === 'connected',
        { timeoutMs: 20_000, message: 'the paired session did not connect' },
      );
      expect(fake.pairedDevices).toHaveLength(1);
    } finally {
      await loket.stop({ keepData: true });
    }
  }, 120_000);
});
