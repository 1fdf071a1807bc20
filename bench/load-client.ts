// A keep-alive HTTP load generator, run in its own process so that it does not share the
// server's event loop. Reads its job from argv as JSON (or, after `@`, from that file: a list of
// 20,000 customer ids is longer than one argument may be), prints one JSON line of results.
//   node --import tsx bench/load-client.ts '{"url":"http://127.0.0.1:3000","paths":["/a"],"seconds":10,"connections":16}'
import { readFileSync } from 'node:fs';
import http from 'node:http';

export interface LoadJob {
  /** Only a loopback address is accepted: this tool must never load anything but the local server. */
  url: string;
  paths: string[];
  headers?: Record<string, string>;
  seconds: number;
  connections: number;
  /**
   * Instead of GETs: each request POSTs this many new events to the first path, for customers
   * taken in turn from `customers`, every one with an id of its own (`<idPrefix><n>`).
   */
  events?: { customers: string[]; perRequest: number; occurredAt: string; idPrefix: string };
  /** Instead of GETs: each request POSTs this many new customers to the first path (`<idPrefix><n>`). */
  customers?: { perRequest: number; idPrefix: string };
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

async function run(job: LoadJob): Promise<LoadResult> {
  const target = new URL(job.url);
  if (target.hostname !== '127.0.0.1') throw new Error('the load generator only targets 127.0.0.1');
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.connections });
  const latencies: number[] = [];
  let errors = 0;
  let non2xx = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  let sequence = 0;
  const eventsBody = (events: NonNullable<LoadJob['events']>) =>
    JSON.stringify({
      events: Array.from({ length: events.perRequest }, () => {
        const n = sequence++;
        const id = `${events.idPrefix}${n}`;
        const customer_id = events.customers[n % events.customers.length] ?? '';
        return n % 3 === 0
          ? { id, customer_id, type: 'order_paid', occurred_at: events.occurredAt, properties: { order_id: id, amount: 50 + (n % 400), channel: 'online' } }
          : { id, customer_id, type: 'product_viewed', occurred_at: events.occurredAt, properties: { sku: 'SKU2002', category: '数码', dwell_seconds: 42 } };
      }),
    });
  const CITIES = ['上海', '北京', '广州', '深圳', '杭州'];
  const customersBody = (customers: NonNullable<LoadJob['customers']>) =>
    JSON.stringify({
      customers: Array.from({ length: customers.perRequest }, () => {
        const n = sequence++;
        return { id: `${customers.idPrefix}${n}`, name: `客户${n}`, city: CITIES[n % CITIES.length], identities: [{ kind: 'email', value: `${customers.idPrefix}${n}@example.com` }] };
      }),
    });
  const posting = job.events !== undefined || job.customers !== undefined;
  const one = (path: string) =>
    new Promise<void>((resolve) => {
      const sent = performance.now();
      const body = job.events ? eventsBody(job.events) : job.customers ? customersBody(job.customers) : undefined;
      const headers = body === undefined ? job.headers : { ...job.headers, 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(body)) };
      const request = http.request({ host: target.hostname, port: target.port, path, agent, headers, method: body === undefined ? 'GET' : 'POST' }, (response) => {
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
      request.end(body);
    });
  const worker = async () => {
    while (performance.now() < deadline) await one(job.paths[posting ? 0 : next++ % job.paths.length] ?? '/');
  };
  await Promise.all(Array.from({ length: job.connections }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = Float64Array.from(latencies).sort();
  return { requests: latencies.length, errors, non2xx, seconds, requestsPerSecond: latencies.length / seconds, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

const argument = process.argv[2];
if (argument !== undefined) {
  const result = await run(JSON.parse(argument.startsWith('@') ? readFileSync(argument.slice(1), 'utf8') : argument) as LoadJob);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
