// A keep-alive HTTP load generator, run in its own process so that it does not share the
// server's event loop. Reads its job from argv as JSON, prints one JSON line of results.
//   node --import tsx bench/load-client.ts '{"url":"http://127.0.0.1:3000","paths":["/a"],"seconds":10,"connections":16}'
import http from 'node:http';

interface Job {
  /** Only a loopback address is accepted: this tool must never load anything but the local server. */
  url: string;
  paths: string[];
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  non2xx: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
}

async function run(job: Job): Promise<LoadResult> {
  const target = new URL(job.url);
  if (target.hostname !== '127.0.0.1') throw new Error('the load generator only targets 127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const request = http.get({ host: target.hostname, port: target.port, path, agent, headers: job.headers }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - sent);
          if ((response.statusCode ?? 0) >= 300) non2xx++;
          resolve();
        });
      });
      request.on('error', () => {
        errors++;
        resolve();
      });
    });
  const worker = async () => {
    while (performance.now() < deadline) await one(job.paths[next++ % job.paths.length] ?? '/');
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, non2xx, seconds, requestsPerSecond: latencies.length / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

const argument = process.argv[2];
if (argument !== undefined) {
  const result = await run(JSON.parse(argument) as Job);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
