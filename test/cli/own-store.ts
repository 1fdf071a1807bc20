// A store of a command-line test's own: a SQLite file in its folder, or a fresh PostgreSQL schema
// named in the URL the command is given (dropped again by `dispose`).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect } from 'vitest';
import type { StoreKind } from '../support/stores.js';
import { ENGLISH, tagbaseHere, type CommandResult } from './run-tagbase.js';

async function admin(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: process.env.TAGBASE_TEST_PG_URL });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export interface OwnStore {
  url: string;
  dispose(): Promise<void>;
}

export async function ownStore(kind: StoreKind, dir: string, prefix: string): Promise<OwnStore> {
  if (kind === 'sqlite') return { url: join(dir, 'store.db'), dispose: async () => undefined };
  const schema = `${prefix}_${randomBytes(4).toString('hex')}`;
  await admin(`create schema ${schema}`);
  return { url: `${process.env.TAGBASE_TEST_PG_URL}?options=-c%20search_path%3D${schema}`, dispose: () => admin(`drop schema if exists ${schema} cascade`) };
}

/** The commands of a `describe` run against a store of its own (`commandStore`). */
export interface CommandStore {
  /** The test's folder, for the files it writes. */
  dir: string;
  /** The store's URL, once the `describe`'s tests run. */
  url(): string;
  /** `tagbase ARGS -d URL`, in English unless told. */
  run(args: string[], env?: Record<string, string>): Promise<CommandResult>;
  /** The command's standard output read as one JSON document (`--json`), once it has said nothing on standard error. */
  json(args: string[]): Promise<unknown>;
}

/**
 * A store of the enclosing `describe`'s own, opened before its tests with the customers of
 * `customersCsv` imported (before the `describe`'s own `beforeAll`), and dropped after them.
 */
export function commandStore(kind: StoreKind, name: string, customersCsv: string): CommandStore {
  const dir = mkdtempSync(join(tmpdir(), `tagbase-cli-${name}-`));
  let store: OwnStore | undefined;
  const url = () => store?.url ?? '';
  const run = (args: string[], env: Record<string, string> = ENGLISH) => tagbaseHere([...args, '-d', url()], env);
  beforeAll(async () => {
    store = await ownStore(kind, dir, `t_cli_${name.replaceAll('-', '_')}`);
    const customers = join(dir, 'customers.csv');
    writeFileSync(customers, customersCsv);
    expect((await run(['import', 'customers', customers])).code).toBe(0);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    url,
    run,
    json: async (args) => {
      const ran = await run([...args, '--json']);
      expect([ran.code, ran.stderr]).toEqual([0, '']);
      return JSON.parse(ran.stdout) as unknown;
    },
  };
}
