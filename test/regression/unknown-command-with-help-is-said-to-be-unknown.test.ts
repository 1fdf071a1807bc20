// `tagbase generate --help` printed the general help and exited 0, as if the command were there
// and its help had been asked for; so did `tagbase segment lst -h` (the segment commands' help),
// `tagbase help generate` wrote the whole help on standard error, and `tagbase help segment lst`
// the segment commands' help. A command that is not there is said to be unknown in one line, with
// the closest one, and the command exits 1, --help or not.
import { describe, expect, it } from 'vitest';
import { tagbaseHere } from '../cli/run-tagbase.js';

const english = { LANG: 'en_US.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const chinese = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

describe('an unknown command, --help after it or not', () => {
  it('is said to be unknown, with the closest command and where the commands are listed, and exits 1', async () => {
    for (const args of [['improt'], ['improt', '--help'], ['improt', '-h'], ['improt', 'customers', '--help', '-w', 'demo'], ['help', 'improt']]) {
      const run = await tagbaseHere(args, english);
      expect([args, run.code, run.stdout, run.stderr]).toEqual([args, 1, '', "error: unknown command 'improt'\n(Did you mean import?)\n(tagbase --help lists its commands)\n"]);
    }
    for (const args of [['segment', 'lst', '--help'], ['segment', 'help', 'lst'], ['help', 'segment', 'lst']]) {
      const run = await tagbaseHere(args, english);
      expect([args, run.code, run.stdout, run.stderr]).toEqual([args, 1, '', "error: unknown command 'lst'\n(Did you mean list?)\n(tagbase segment --help lists its commands)\n"]);
    }
    // Nothing close: the line alone.
    expect(await tagbaseHere(['generate', '--help'], english)).toEqual({ code: 1, stdout: '', stderr: "error: unknown command 'generate'\n(tagbase --help lists its commands)\n" });
    expect(await tagbaseHere(['generate', '--help'], chinese)).toEqual({ code: 1, stdout: '', stderr: '错误：未知命令 generate\n（tagbase --help 列出可用的命令）\n' });
    expect(await tagbaseHere(['tag', 'lst', '-h'], chinese)).toEqual({ code: 1, stdout: '', stderr: '错误：未知命令 lst\n（是不是要用 list？）\n（tagbase tag --help 列出可用的命令）\n' });
  });

  it('leaves the help of a command that is there as it was, and help A B reads as A B --help', async () => {
    const count = await tagbaseHere(['segment', 'count', '--help'], english);
    expect([count.code, count.stderr]).toEqual([0, '']);
    expect(count.stdout).toMatch(/^Usage: tagbase segment count \[options\] \[expression\]\n/);
    // Commander showed the segment commands' help for it.
    expect(await tagbaseHere(['help', 'segment', 'count'], english)).toEqual(count);
    // By an alias too (customer search is customer find).
    expect((await tagbaseHere(['customer', 'search', '-h'], english)).stdout).toMatch(/^Usage: tagbase customer find\|search /);
    for (const args of [['help'], ['--help'], ['help', '--help']]) {
      const help = await tagbaseHere(args, english);
      expect([args, help.code, help.stderr]).toEqual([args, 0, '']);
      expect(help.stdout).toMatch(/^Usage: tagbase \[options\] \[command\]\n/);
    }
    expect((await tagbaseHere(['help', 'segment'], english)).stdout).toMatch(/^Usage: tagbase segment \[options\] \[command\]\n/);
  });
});
