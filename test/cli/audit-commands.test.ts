// Every command that changes stored data leaves an entry in the audit trail, as every changing
// API call does: named by the command, with the actor given and a target written as the API's
// path; a command that failed leaves none. Which commands record nothing is written down, and a
// new command that is in neither list fails here until it chooses.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { AUDITED_BY_ENGINE, CLI_AUDITED, NOT_AUDITED } from '../../src/cli/audit-entry.js';
import { buildProgram, commandPath } from '../../src/cli/main.js';
import { AUDIT_ACTIONS } from '../../src/core/audit.js';
import { storeKinds, type StoreKind } from '../support/stores.js';
import { ownStore } from './own-store.js';
import { ENGLISH, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 300_000 });


/** Every command of the program that runs (has no subcommands). */
function leafCommands(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leafCommands);
}

describe('which commands the audit trail records', () => {
  const leaves = leafCommands(buildProgram('en'));
  const paths = leaves.map(commandPath);
  const audited = [...CLI_AUDITED, ...Object.keys(AUDITED_BY_ENGINE)];

  it('knows of every command whether it records an entry or why it does not', () => {
    expect(paths.filter((path) => !audited.includes(path) && NOT_AUDITED[path] === undefined)).toEqual([]);
    expect([...audited, ...Object.keys(NOT_AUDITED)].filter((path) => !paths.includes(path))).toEqual([]);
    expect(audited.filter((path) => NOT_AUDITED[path] !== undefined)).toEqual([]);
    expect(new Set(audited).size).toBe(audited.length);
  });

  it('lets each recorded command name its actor, and names each action in words', () => {
    const withoutActor = leaves.filter((command) => audited.includes(commandPath(command)) && !command.options.some((option) => option.long === '--actor'));
    expect(withoutActor.map(commandPath)).toEqual([]);
    const actions = [...CLI_AUDITED, ...Object.values(AUDITED_BY_ENGINE)];
    expect(actions.filter((action) => AUDIT_ACTIONS[action] === undefined)).toEqual([]);
  });
});

interface Entry {
  actor: string | null;
  source: string;
  action: string;
  target: string;
}

const newStore = (kind: StoreKind, dir: string) => ownStore(kind, dir, 't_cli_audit');

for (const kind of storeKinds()) {
  describe(`the command line's changes in the audit trail [${kind}]`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'tagbase-cli-audit-'));
    let store: Awaited<ReturnType<typeof newStore>> | undefined;
    afterAll(async () => {
      await store?.dispose();
      rmSync(dir, { recursive: true, force: true });
    });
    /** The trail as `audit` last listed it, while no other command has run since (`audit` records nothing). */
    let listed: Entry[] | undefined;
    const run = (args: string[]) => {
      if (args[0] !== 'audit') listed = undefined;
      return tagbaseHere([...args, '--database', store?.url ?? ''], ENGLISH);
    };
    /** The trail's entries, oldest first. */
    const trail = async (): Promise<Entry[]> => {
      if (listed) return listed;
      const ran = await run(['audit', '--json', '-n', '500']);
      expect(ran.code).toBe(0);
      listed = (JSON.parse(ran.stdout) as { items: Entry[] }).items.map(({ actor, source, action, target }) => ({ actor, source, action, target })).reverse();
      return listed;
    };
    /** Runs a command that must succeed and answers the entries it added. */
    const recorded = async (args: string[]): Promise<Entry[]> => {
      const before = (await trail()).length;
      const ran = await run(args);
      expect([args, ran.code, ran.stderr]).toEqual([args, 0, expect.any(String)]);
      return (await trail()).slice(before);
    };
    /** Runs a command that must fail (or, without --yes, only ask) and checks it added nothing. */
    const refused = async (args: string[], code = 1): Promise<void> => {
      const before = await trail();
      const ran = await run(args);
      expect([args, ran.code]).toEqual([args, code]);
      expect(await trail()).toEqual(before);
    };
    const by = (actor: string, action: string, target: string): Entry => ({ actor, source: 'cli', action, target });

    it('records each change with its actor and target, and nothing for a refused one', async () => {
      store = await newStore(kind, dir);
      expect((await run(['migrate'])).code).toBe(0);
      expect(await recorded(['template', 'apply', 'retail', '-a', '运营-小李'])).toEqual([by('运营-小李', 'template apply', '/templates/retail/apply')]);
      const customers = join(dir, 'customers.csv');
      writeFileSync(customers, 'id,name,city\nC1,张伟,杭州\nC2,李娜,北京\n');
      expect(await recorded(['import', 'customers', customers, '-a', '运营-小李'])).toEqual([by('运营-小李', 'import', '/imports/customers')]);
      // A file of which nothing was taken changed nothing.
      const empty = join(dir, 'empty.csv');
      writeFileSync(empty, 'id,name,city\n');
      expect(await recorded(['import', 'customers', empty, '-a', '运营-小李'])).toEqual([]);
      const tags = JSON.parse((await run(['tag', 'list', '--json'])).stdout) as { key: string; name: string }[];
      const care = tags.find((tag) => tag.name === '重点关怀')?.key ?? '';
      expect(care).not.toBe('');
      const path = `/tags/${encodeURIComponent(care)}`;

      // Tagging by hand, taking it back and undoing.
      const assigned = await run(['tag', 'assign', '重点关怀', '是', 'C1', 'C2', '-a', '导购-王芳']);
      expect(assigned.code).toBe(0);
      const operation = /tag undo (\d+)/.exec(assigned.stdout)?.[1] ?? '';
      expect((await trail()).at(-1)).toEqual(by('导购-王芳', 'tag assign', `${path}/assign`));
      await refused(['tag', 'assign', '重点关怀', '没有这个值', 'C1', '-a', '导购-王芳']);
      expect(await recorded(['tag', 'undo', operation, '-a', '导购-王芳'])).toEqual([by('导购-王芳', 'tag undo', `/tagging/operations/${operation}/undo`)]);
      expect((await run(['tag', 'assign', '重点关怀', '是', 'C1'])).code).toBe(0);
      expect(await recorded(['tag', 'unassign', '重点关怀', 'C1', '-a', '导购-王芳'])).toEqual([by('导购-王芳', 'tag unassign', `${path}/unassign`)]);

      // A tag changed, then deleted; a change refused by the parser or the engine leaves nothing.
      await refused(['tag', 'update', '重点关怀', '--kind', 'model']);
      await refused(['tag', 'update', '没有这个标签', '--scope', 'personal']);
      await refused(['tag', 'update', '重点关怀', '-c', '是=true']);
      expect(await recorded(['tag', 'update', '重点关怀', '--scope', 'personal', '-a', '运营-小李'])).toEqual([by('运营-小李', 'tag update', path)]);
      await refused(['tag', 'delete', care, '-a', '运营-小李'], 2);
      const deleted = await recorded(['tag', 'delete', care, '--yes', '-a', '运营-小李']);
      expect(deleted).toEqual([by('运营-小李', 'tag delete', expect.stringMatching(new RegExp(`^${path}\\?definition=`)) as unknown as string)]);

      // A tag made, then changed with its values; one refused leaves nothing.
      expect(await recorded(['tag', 'create', '回购意向', '--values', '高,低', '-a', '运营-小李'])).toEqual([by('运营-小李', 'tag create', `/tags/${encodeURIComponent('回购意向')}`)]);
      await refused(['tag', 'create', '回购意向', '--values', '高,低', '-a', '运营-小李']);
      expect(await recorded(['tag', 'edit', '回购意向', '--key', 'rebuy', '--add-value', '中', '-a', '运营-小李'])).toEqual([by('运营-小李', 'tag update', '/tags/rebuy')]);
      await refused(['tag', 'edit', 'rebuy', '--add-value', '中', '-a', '运营-小李']);

      // Segments.
      await refused(['segment', 'save', 'hz', 'city = ', '-a', '运营-小李']);
      expect(await recorded(['segment', 'save', 'hz', 'city = "杭州"', '-a', '运营-小李'])).toEqual([by('运营-小李', 'segment save', '/segments/hz')]);
      expect(await recorded(['segment', 'save', 'hz', 'city = "北京"', '-a', '运营-小李'])).toEqual([by('运营-小李', 'segment save', '/segments/hz')]);
      expect(await recorded(['segment', 'snapshot', 'hz', '-a', '运营-小李'])).toEqual([by('运营-小李', 'segment snapshot', '/segments/hz/snapshots')]);
      await refused(['segment', 'snapshot', '没有这个人群', '-a', '运营-小李']);
      // An export, as the API's of the same members: recorded under the path that export has there
      // (no query string), with whom the export log names; one refused before any row went out, nothing.
      const exported = join(dir, 'hz.csv');
      expect(await recorded(['segment', 'export', '--segment', 'hz', '-o', exported, '-a', '分析-小陈'])).toEqual([by('分析-小陈', 'segment export', '/segments/hz/export')]);
      expect(await recorded(['segment', 'export', 'city = "杭州"', '--format', 'jsonl', '-o', join(dir, 'hangzhou.jsonl')])).toEqual([by('cli', 'segment export', '/segments/export')]);
      await refused(['segment', 'export', '--segment', '没有这个人群', '-o', exported, '-a', '分析-小陈']);
      await refused(['segment', 'export', 'city = ', '-o', exported, '-a', '分析-小陈']);
      await refused(['segment', 'export', '--segment', 'hz', '-m', 'no_such_metric', '-o', exported, '-a', '分析-小陈']);
      // A tick that changed something (today's size of the segment) is recorded once, for the whole store; one that changed nothing is not.
      expect(await recorded(['tick', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'tick', '/workspaces')]);
      expect(await recorded(['tick', '-a', '运维-老陈'])).toEqual([]);
      await refused(['segment', 'delete', 'hz', '-a', '运营-小李'], 2);
      expect(await recorded(['segment', 'delete', 'hz', '--yes', '-a', '运营-小李'])).toEqual([by('运营-小李', 'segment delete', '/segments/hz')]);
      await refused(['segment', 'delete', 'hz', '--yes']);

      // A field, a model, a workspace, a token, a recompute.
      await refused(['field', 'add', 'shoe size', '-a', '运维-老陈']);
      expect(await recorded(['field', 'add', 'shoe_size', '-t', 'number', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'field add', '/fields/shoe_size')]);
      await refused(['field', 'add', 'shoe_size', '-a', '运维-老陈']);
      await refused(['model', 'disable', 'rfm', '-a', '运维-老陈']);
      expect(await recorded(['model', 'enable', 'rfm', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'model enable', '/models/rfm')]);
      expect(await recorded(['model', 'disable', 'rfm', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'model disable', '/models/rfm')]);
      expect(await recorded(['workspace', 'create', 'shop-hz', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'workspace create', '/workspaces/shop-hz')]);
      await refused(['workspace', 'create', 'shop-hz', '-a', '运维-老陈']);
      expect(await recorded(['token', 'create', '导购-王芳', '--role', 'operator', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'token create', '导购-王芳 (operator)')]);
      await refused(['token', 'create', '导购-王芳', '--role', 'operator', '-a', '运维-老陈']);
      await refused(['token', 'revoke', '没有这个令牌', '--yes', '-a', '运维-老陈']);
      expect(await recorded(['token', 'revoke', '导购-王芳', '--yes', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'token revoke', '导购-王芳')]);
      expect(await recorded(['recompute', '-a', '运维-老陈'])).toEqual([by('运维-老陈', 'recompute', '/workspace')]);
      // Without -a, the command line itself, as every other command names it.
      expect(await recorded(['field', 'add', 'note'])).toEqual([by('cli', 'field add', '/fields/note')]);

      // Reads record nothing.
      for (const read of [['tag', 'list'], ['segment', 'count', 'city = "杭州"'], ['field', 'list'], ['model', 'list'], ['token', 'list'], ['workspace', 'list']]) {
        expect(await recorded(read)).toEqual([]);
      }

      // `tagbase audit` says each in words, with whom and the path.
      const shown = (await run(['audit', '-n', '500'])).stdout;
      expect(shown).toMatch(/ +运营-小李 +cli +changed a tag +\/tags\/\S+\n/);
      expect(shown).toMatch(/ +导购-王芳 +cli +tagged customers in bulk +\/tags\/\S+\/assign\n/);
      expect(shown).toMatch(/ +运营-小李 +cli +deleted a segment +\/segments\/hz\n/);
      expect(shown).toMatch(/ +分析-小陈 +cli +exported customers +\/segments\/hz\/export\n/);
      expect(shown).toMatch(/ +运维-老陈 +cli +declared a custom field +\/fields\/shoe_size\n/);
      expect((await tagbaseHere(['audit', '-n', '500', '--database', store.url], { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' })).stdout).toMatch(/ +运营-小李 +cli +修改标签 +\/tags\/\S+\n/);
    });
  });
}
