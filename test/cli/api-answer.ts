// What the HTTP API answers a GET on a command's store, from a server built in the test's process:
// what a command's --json prints must be the same document.
import { buildServer } from '../../src/api/server.js';
import { openStore } from '../../src/store/connect.js';

/** `GET /api/v1{path}` on the store at `database`, in `workspace`, as JSON (English summaries, where an answer has them). */
export async function apiAnswer(database: string, path: string, { workspace = 'default', headers = {} }: { workspace?: string; headers?: Record<string, string> } = {}): Promise<unknown> {
  const store = await openStore(database);
  try {
    const app = await buildServer({ store, now: () => new Date(), consoleDir: false });
    try {
      const reply = await app.inject({ method: 'GET', url: `/api/v1${path}`, headers: { 'x-tagbase-workspace': workspace, 'accept-language': 'en', ...headers } });
      if (reply.statusCode !== 200) throw new Error(`GET ${path} answered ${reply.statusCode}: ${reply.body}`);
      return reply.json();
    } finally {
      await app.close();
    }
  } finally {
    await store.close();
  }
}
