// The default store (./data/tagbase.db, where neither --database nor TAGBASE_DATABASE_URL names
// one): made by `serve` and the commands that set up, as on a fresh machine; a command that reads
// it or changes what it holds, run where there is none (another folder than the store's, say),
// says so rather than making an empty store and answering from it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { buildProgram, commandPath, STORE_USE } from '../../src/cli/main.js';
import { BIN } from './run-tagbase.js';

vi.setConfig({ testTimeout: 300_000 });

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const CHINESE = { LC_ALL: '', LC_MESSAGES: '', LANG: 'zh_CN.UTF-8' };

/** The real binary run in `cwd` with no store named: an empty TAGBASE_DATABASE_URL names none. */
function tagbaseIn(cwd: string, args: string[], env: Record<string, string> = ENGLISH) {
  const result = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env, TAGBASE_DATABASE_URL: '' }, timeout: 60_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Every command of the program that runs (has no subcommands), by its path. */
function leafCommands(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leafCommands);
}

describe('a command on the default store where there is none', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tagbase-default-store-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says there is none, for a command that reads or changes what must be there, and makes neither the file nor its folder', () => {
    const folder = mkdtempSync(join(dir, 'elsewhere-'));
    const store = join(folder, 'data', 'tagbase.db');
    const shown = tagbaseIn(folder, ['customer', 'show', 'C000006']);
    expect(shown).toEqual({
      code: 1,
      stdout: '',
      stderr: `error STORE_NOT_FOUND: There is no store at "${store}" (the default, ./data/tagbase.db in this folder: neither --database nor TAGBASE_DATABASE_URL names a store): run the command where the store's data/ folder is, name the store with --database or TAGBASE_DATABASE_URL, or create one here with \`npm start\` (\`tagbase serve\`) or \`tagbase demo\`.\n`,
    });
    const counted = tagbaseIn(folder, ['segment', 'count', 'city = "上海"'], CHINESE);
    expect([counted.code, counted.stdout, counted.stderr]).toEqual([
      1,
      '',
      `错误 STORE_NOT_FOUND：「${store}」处没有数据库（默认位置，即当前目录下的 ./data/tagbase.db：--database 和 TAGBASE_DATABASE_URL 都没有指定数据库）：请在数据库所在的目录中运行该命令，或用 --database 或 TAGBASE_DATABASE_URL 指定数据库，或用 \`npm start\`（\`tagbase serve\`）或 \`tagbase demo\` 在这里新建一个。\n`,
    ]);
    // And so does one that changes what must be there already: a tag's holders, a recompute, a round of care.
    const changes = [['tag', 'assign', '兴趣爱好', '高尔夫', 'C000006'], ['recompute'], ['tick'], ['care', 'run'], ['token', 'revoke', 'x', '--yes']];
    for (const args of [['tag', 'list'], ['segment', 'export', 'city = "上海"', '-o', 'out.csv'], ['segment', 'list'], ['customer', 'find', '王芳'], ['workspace', 'list'], ['token', 'list'], ['audit'], ['backup', 'copy.db'], ['doctor'], ...changes]) {
      const read = tagbaseIn(folder, args);
      expect([args, read.code, read.stderr.split(' ')[1]]).toEqual([args, 1, 'STORE_NOT_FOUND:']);
    }
    expect(existsSync(join(folder, 'data'))).toBe(false);
    expect(existsSync(join(folder, 'out.csv'))).toBe(false);
  });

  it('makes it for a command that sets up, as before, and reads from it after', () => {
    const folder = mkdtempSync(join(dir, 'fresh-'));
    expect(tagbaseIn(folder, ['workspace', 'create', 'shop']).code).toBe(0);
    expect(existsSync(join(folder, 'data', 'tagbase.db'))).toBe(true);
    expect(tagbaseIn(folder, ['workspace', 'list']).stdout).toMatch(/^default .*\nshop .*\n$/);
  });

  it('knows of every command whether it needs its store or may make it', () => {
    const paths = leafCommands(buildProgram('en')).map(commandPath);
    expect(paths.filter((path) => STORE_USE[path] === undefined)).toEqual([]);
    expect(Object.keys(STORE_USE).filter((path) => !paths.includes(path))).toEqual([]);
  });
});
