// An open-loop load: GET `url` at a steady `rate` per second for `seconds`, spread evenly (request i
// is due at i / rate), over at most `connections` keep-alive sockets. Each latency counts from the
// moment the request was due, not from when a socket was free, so a slow server cannot hide its
// queue (no coordinated omission). autocannon's `--overallRate` sends each second's quota as a burst
// at the start of the second, which measures the burst's queue instead.
//
// Run as a child process: node paced-load-child.mjs <url> <token> <rate> <seconds> <connections>
// Prints one JSON line: { requestsPerSecond, p50, p99, total, non2xx, errors }.
import http from 'node:http';

const [url, token, rateText, secondsText, connectionsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connectionsText) });
const total = Math.round(rate * seconds);
const latencies = [];
let non2xx = 0;
let errors = 0;
let finished = 0;

function send(dueAt) {
  const request = http.get(url, { agent, headers: { authorization: `Bearer ${token}` } }, (response) => {
    if (response.statusCode < 200 || response.statusCode >= 300) non2xx += 1;
    response.resume();
    response.on('end', () => {
      latencies.push(performance.now() - dueAt);
      done();
    });
  });
  request.on('error', () => {
    errors += 1;
    done();
  });
}

const started = performance.now();
let sent = 0;
const ticker = setInterval(() => {
  const now = performance.now();
  while (sent < total && started + (sent * 1000) / rate <= now) {
    send(started + (sent * 1000) / rate);
    sent += 1;
  }
  if (sent >= total) clearInterval(ticker);
}, 1);

function done() {
  finished += 1;
  if (finished < total) return;
  const elapsed = (performance.now() - started) / 1000;
  const sorted = latencies.sort((a, b) => a - b);
  const at = (q) =>
    sorted.length
      ? Math.round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] * 10) / 10
      : 0;
  process.stdout.write(
    `${JSON.stringify({ requestsPerSecond: Math.round(sorted.length / elapsed), p50: at(0.5), p99: at(0.99), total: finished, non2xx, errors })}\n`,
  );
  agent.destroy();
}
