// Every command says what it does with its store (STORE_USE): sets one up, changes one that is
// there, only reads one, or opens none. A command that writes is refused on a store a copy did not
// finish (openMigratedStore), so a new command cannot be added without saying which it is, and a
// command that leaves an entry in the audit trail writes, unless it is a read recorded only when
// reads are (READS_RECORDED), which is refused there when they are.
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { AUDITED_BY_ENGINE, CLI_AUDITED } from '../../src/cli/audit-entry.js';
import { buildProgram, commandPath, READS_RECORDED, STORE_USE } from '../../src/cli/main.js';

/** Every command of the program that runs (has no subcommands), by its path. */
function leafCommands(command: Command): Command[] {
  return command.commands.length === 0 ? [command] : command.commands.flatMap(leafCommands);
}

describe('what each command does with its store', () => {
  const paths = leafCommands(buildProgram('en')).map(commandPath);

  it('is said for every command registered, and only for those', () => {
    expect(paths.filter((path) => STORE_USE[path] === undefined)).toEqual([]);
    expect(Object.keys(STORE_USE).filter((path) => !paths.includes(path))).toEqual([]);
    expect(new Set(Object.values(STORE_USE))).toEqual(new Set(['makes', 'changes', 'reads', 'none']));
  });

  it('is a write for every command that leaves an audit entry, but for reads recorded when reads are', () => {
    const audited = [...CLI_AUDITED, ...Object.keys(AUDITED_BY_ENGINE)];
    expect(audited.filter((path) => STORE_USE[path] === 'reads' && !READS_RECORDED.has(path))).toEqual([]);
    expect([...READS_RECORDED].filter((path) => STORE_USE[path] !== 'reads' || !audited.includes(path))).toEqual([]);
  });
});
