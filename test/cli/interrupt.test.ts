// Ctrl-C on a command that draws a progress bar, on a real terminal (the pseudo-terminal that
// util-linux's `script` opens for it): the cursor the bar hid is shown again, the command ends
// as one stopped by the signal does (a shell then stops the script or loop around it), the store
// holds whole batches only, and the same command runs again to the end; an export leaves the
// file an earlier run wrote as it was, and no part of its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { openStore } from '../../src/store/connect.js';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { ownStore } from './own-store.js';
import { BIN, ENGLISH, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 180_000 });

const SCRIPT = '/usr/bin/script';
const ROWS = 30_000;
const BATCH = 100;

const newStore = (kind: StoreKind, dir: string) => ownStore(kind, dir, 't_interrupt');

async function customerCount(url: string): Promise<number> {
  const store = await openStore(url);
  try {
    const row = await store.db.selectFrom('customers').select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow();
    return Number(row.count);
  } finally {
    await store.close();
  }
}

/** The imports the audit trail holds: one for each command that landed rows, stopped midway or not. */
async function auditedImports(url: string): Promise<string[]> {
  const store = await openStore(url);
  try {
    return (await store.db.selectFrom('audit_log').select('target').where('action', '=', 'import').orderBy('id').execute()).map((row) => row.target);
  } finally {
    await store.close();
  }
}

/**
 * Runs the command on a terminal of its own and types Ctrl-C once its bar shows `ready`: what the
 * terminal received, and how `script` says the command ended (128 + the signal, as a shell does).
 */
function interruptOnTerminal(args: string[], ready: RegExp): Promise<{ code: number | null; screen: string }> {
  const quoted = [process.execPath, BIN, ...args].map((word) => `'${word}'`).join(' ');
  const child = spawn(SCRIPT, ['-qefc', quoted, '/dev/null'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...ENGLISH } });
  let screen = '';
  let typed = false;
  child.stdout.on('data', (chunk: Buffer) => {
    screen += chunk.toString();
    if (!typed && ready.test(screen)) {
      typed = true;
      child.stdin.write('\x03');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, screen })));
}

for (const kind of storeKinds()) {
  describe.skipIf(!existsSync(SCRIPT))(`Ctrl-C under a progress bar [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagbase-interrupt-'));
    let store: Awaited<ReturnType<typeof newStore>> | undefined;
    afterAll(async () => {
      await store?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });

    it('shows the cursor again, ends by the signal, keeps whole batches, and imports again to the end', async () => {
      store = await newStore(kind, dir);
      const file = join(dir, 'customers.csv');
      writeFileSync(file, `id,name,city\n${Array.from({ length: ROWS }, (_, index) => `K${String(index).padStart(6, '0')},客户${index},杭州\n`).join('')}`);
      const args = ['import', 'customers', file, '--batch', String(BATCH), '--database', store.url];

      // Once a batch or more has landed, shown on the bar.
      const { code, screen } = await interruptOnTerminal(args, /\| [1-9][\d,]* rows/);
      expect(code).toBe(130);
      expect(screen).toContain('\x1b[?25l');
      expect(screen.lastIndexOf('\x1b[?25h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?25l'));

      const landed = await customerCount(store.url);
      expect(landed).toBeGreaterThan(0);
      expect(landed).toBeLessThan(ROWS);
      expect(landed % BATCH).toBe(0);
      // It says how far it got: a file half imported, and what to do about it.
      expect(screen).toContain(`stopped: customers.csv is imported in part, ${landed.toLocaleString('en')} rows from its top in whole batches; the rest is not. Run the same command again to finish`);
      // The rows that landed are in the audit trail as an import, as a finished one's are.
      expect(await auditedImports(store.url)).toEqual(['/imports/customers']);

      const again = await tagbaseHere(args, ENGLISH);
      expect([again.code, again.stderr]).toEqual([0, '']);
      expect(again.stdout).toContain(`${ROWS.toLocaleString('en')} rows, ${ROWS.toLocaleString('en')} imported, 0 rejected`);
      expect(await customerCount(store.url)).toBe(ROWS);
      expect(await auditedImports(store.url)).toEqual(['/imports/customers', '/imports/customers']);
    });

    it('says so when stopped with its output piped, in Chinese, counting the rows rejected until then that no report holds', async () => {
      // A store of its own: on SQLite, a file in a folder of its own.
      const own = await ownStore(kind, mkdtempSync(join(dir, 'piped-')), 't_interrupt_piped');
      try {
        const file = join(dir, '会员.csv');
        writeFileSync(file, `编号,姓名,手机\nP0,甲,12\n${Array.from({ length: ROWS }, (_, index) => `P${String(index + 1).padStart(6, '0')},客户${index},\n`).join('')}`);
        const child = spawn(process.execPath, [BIN, 'import', 'customers', file, '--batch', String(BATCH), '--database', own.url], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' } });
        let stderr = '';
        // Decoded across chunks: one may end within a character.
        child.stderr.setEncoding('utf8');
        child.stderr.on('data', (chunk: string) => (stderr += chunk));
        const ended = new Promise<NodeJS.Signals | null>((resolve) => child.on('close', (_code, signal) => resolve(signal)));
        while ((await customerCount(own.url).catch(() => 0)) === 0) await new Promise((resolve) => setTimeout(resolve, 20));
        child.kill('SIGINT');
        expect(await ended).toBe('SIGINT');
        const landed = await customerCount(own.url);
        expect(landed).toBeLessThan(ROWS);
        expect(stderr).toBe(
          `已中止：会员.csv 只导入了一部分，即从文件开头起整批提交的 ${landed.toLocaleString('en')} 行，其余的行没有导入。再次运行同一命令即可完成：已导入的行只会更新，不会重复存储\n中止前有 1 行被拒绝，没有写入报告：下次运行时会一并报告\n`,
        );
        expect(existsSync(`${file}.rejected.csv`)).toBe(false);
      } finally {
        await own.dispose();
      }
    });

    it('leaves the file an earlier export wrote as it was, and no part of an export stopped midway', async () => {
      const members = join(dir, 'members.xlsx');
      const exportArgs = ['segment', 'export', 'city = "杭州"', '-o', members, '--database', store?.url ?? ''];
      const first = await tagbaseHere(exportArgs, ENGLISH);
      expect([first.code, first.stderr]).toEqual([0, `${ROWS.toLocaleString('en')} customers written to ${members}\n`]);
      const whole = readFileSync(members);

      // Once some members are written.
      const { code, screen } = await interruptOnTerminal(exportArgs, /\| [1-9]\d*\/\d+/);
      expect(code).toBe(130);
      expect(screen.lastIndexOf('\x1b[?25h')).toBeGreaterThan(screen.lastIndexOf('\x1b[?25l'));
      expect(readFileSync(members).equals(whole)).toBe(true);
      expect(readdirSync(dir).filter((name) => name.includes('members'))).toEqual(['members.xlsx']);
    });
  });
}
