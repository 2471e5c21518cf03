// Runs autocannon in a child process, so the load generator does not share the server's event loop.
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export type LoadFigures = {
  requestsPerSecond: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
};

type AutocannonJson = {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
};

const autocannonBin = createRequire(import.meta.url).resolve('autocannon/autocannon.js');

export async function runAutocannon(
  url: string,
  options: { seconds: number; connections: number; token: string },
): Promise<LoadFigures> {
  // A closed loop: each connection sends its next request when the last is answered (the ceiling).
  const args = [
    autocannonBin,
    '--json',
    '-c',
    String(options.connections),
    '-d',
    String(options.seconds),
    '-H',
    `authorization=Bearer ${options.token}`,
    url,
  ];
  const result = (await runNodeForJson(args, 'autocannon')) as AutocannonJson;
  return {
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

/** An open loop at a steady `rate` (see paced-load-child.mjs), in a child process like autocannon. */
export async function runPacedLoad(
  url: string,
  options: { seconds: number; connections: number; token: string; rate: number },
): Promise<LoadFigures> {
  const args = [
    fileURLToPath(new URL('./paced-load-child.mjs', import.meta.url)),
    url,
    options.token,
    String(options.rate),
    String(options.seconds),
    String(options.connections),
  ];
  return (await runNodeForJson(args, 'the paced load')) as LoadFigures;
}

/** Runs `node <args>` and parses what it printed as JSON; a failing child fails with its stderr. */
async function runNodeForJson(args: string[], label: string): Promise<unknown> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${label} exited with ${code}: ${stderr}`);
  return JSON.parse(stdout);
}
