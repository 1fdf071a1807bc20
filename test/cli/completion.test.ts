// `tagbase completion`: the script it prints, loaded into a real bash, completes what is typed as
// a person pressing Tab would see it.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../src/cli/main.js';
import { completionNodes } from '../../src/cli/completion.js';
import { tagbaseHere } from './run-tagbase.js';

const directory = mkdtempSync(join(tmpdir(), 'tagbase-completion-'));
const script = join(directory, 'tagbase.bash');

beforeAll(async () => {
  const { code, stdout, stderr } = await tagbaseHere(['completion', 'bash']);
  expect(stderr).toBe('');
  expect(code).toBe(0);
  writeFileSync(script, stdout);
});
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/** What bash offers for the words typed, the last being the one under the cursor. */
function completes(...words: string[]): string[] {
  const program = 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _tagbase_complete; printf "%s\\n" "${COMPREPLY[@]}"';
  const output = execFileSync('bash', ['-c', program, script, 'tagbase', ...words], { encoding: 'utf8' });
  return output.split('\n').filter((line) => line !== '');
}

describe('tagbase completion bash', () => {
  it('registers itself for the tagbase command, falling back to file names', () => {
    const registered = execFileSync('bash', ['-c', 'source "$0"; complete -p tagbase', script], { encoding: 'utf8' });
    expect(registered.trim()).toBe('complete -o default -F _tagbase_complete tagbase');
  });

  it('completes commands and subcommands by what is typed', () => {
    expect(completes('seg')).toEqual(['segment']);
    expect(completes('jo')).toEqual(['journal']);
    expect(completes('journal', '')).toEqual(['list', 'retry']);
    expect(completes('segment', '')).toEqual(['count', 'export', 'insight', 'sizes', 'snapshot', 'snapshots', 'exports', 'save', 'delete', 'list']);
    expect(completes('webhook', 'r')).toEqual(['rotate-secret', 'resume', 'retry', 'remove']);
    expect(completes('he')).toEqual(['help']);
    expect(completes('help', 'tem')).toEqual(['template']);
  });

  it("offers a command's options after a dash, and its own, not its parent's", () => {
    expect(completes('segment', 'count', '--')).toEqual(['--segment', '--all', '--workspace', '--database', '--json', '--help']);
    expect(completes('-')).toEqual(['-V', '--version', '--help']);
    expect(completes('segment', 'export', '-w', 'demo', '--fo')).toEqual(['--format']);
  });

  it("offers nothing of its own for an option's value, leaving it to bash's file names", () => {
    expect(completes('segment', 'count', '-w', '')).toEqual([]);
    expect(completes('import', 'customers', '--workspace', 'segment', '')).toEqual([]);
  });

  it('skips the value of an option between a command and its subcommand words', () => {
    // `demo` after -w is the workspace, not an argument: the kinds are still offered.
    expect(completes('import', '-w', 'demo', '')).toEqual(['customers', 'events', 'assignments']);
    expect(completes('import', '--workspace=demo', 'ev')).toEqual(['events']);
  });

  it('offers the words of arguments that can only be a few: import kinds, models, templates, shells', () => {
    expect(completes('import', '')).toEqual(['customers', 'events', 'assignments']);
    expect(completes('model', 'enable', 'r')).toEqual(['rfm']);
    expect(completes('template', 'apply', 're')).toEqual(['retail', 'restaurant']);
    expect(completes('completion', '')).toEqual(['bash', 'zsh']);
    // The file after the kind is bash's to complete.
    expect(completes('import', 'customers', '')).toEqual([]);
  });

  it('lists every command and option the program declares', async () => {
    const nodes = await completionNodes(buildProgram('en'));
    const paths = nodes.map((node) => node.path);
    for (const path of ['', 'serve', 'segment count', 'tag delete', 'care snooze', 'webhook rotate-secret', 'completion', 'help']) expect(paths).toContain(path);
    const walk = (command: ReturnType<typeof buildProgram>, path: string[]): void => {
      const node = nodes.find((candidate) => candidate.path === path.join(' '));
      expect(node, path.join(' ')).toBeDefined();
      for (const option of command.options) if (option.long !== undefined) expect(node?.options, `${path.join(' ')} ${option.long}`).toContain(option.long);
      for (const sub of command.commands) walk(sub, [...path, sub.name()]);
    };
    walk(buildProgram('en'), []);
  });
});

describe('tagbase completion', () => {
  it('writes the same completion for zsh through its bash layer', async () => {
    const bash = await tagbaseHere(['completion', 'bash']);
    const zsh = await tagbaseHere(['completion', 'zsh']);
    expect(zsh.code).toBe(0);
    expect(zsh.stdout).toContain('autoload -U +X bashcompinit && bashcompinit');
    expect(zsh.stdout).toContain(bash.stdout.split('\n').filter((line) => !line.startsWith('# ')).join('\n'));
  });

  it("says the shell's default in the help's language", async () => {
    const chinese = await tagbaseHere(['completion', '--help'], { LANG: 'zh_CN.UTF-8' });
    expect(chinese.stdout).toContain('bash 或 zsh（默认："bash"）');
    expect(chinese.stdout).not.toContain('default:');
  });

  it('refuses a shell it does not write for, saying which it does', async () => {
    const { code, stdout, stderr } = await tagbaseHere(['completion', 'fish'], { LANG: 'en_US.UTF-8' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain("'fish'");
    expect(stderr).toContain('use bash or zsh');
  });
});
