// The CLI's message table: both languages say the same things with the same parameters, and
// commander's English usage errors are reworded under Chinese and left alone otherwise.
import { describe, expect, it } from 'vitest';
import { LOCALES } from '../../src/core/locale.js';
import { describeConflict, type TemplateConflict } from '../../src/engine/templates.js';
import type { Command } from 'commander';
import { terminalTable, terminalWidth, translateCommanderError, wrapWide } from '../../src/cli/commander-locale.js';
import { buildProgram } from '../../src/cli/main.js';
import { CLI_MESSAGES, cliMessages, fillMessage, messageParameters } from '../../src/cli/messages.js';
import { resumedPassNames, rulePassLabel } from '../../src/cli/progress.js';
import { indexLine, snapshotLine, snapshotRejectedLine } from '../../src/cli/serve.js';
import { deliveryItemsText } from '../../src/cli/webhook.js';

describe('CLI messages', () => {
  it('has every message in every language, with the same parameters', () => {
    for (const [key, texts] of Object.entries(CLI_MESSAGES)) {
      for (const locale of LOCALES) expect(texts[locale].trim(), `${key} in ${locale}`).not.toBe('');
      expect(messageParameters(texts['zh-CN']), key).toEqual(messageParameters(texts.en));
    }
  });

  it('labels a rule pass’s progress bar with the tag’s key, and a personal tag’s with its owner', () => {
    expect(rulePassLabel({ key: 'value_tier', owner: null }, 'en')).toBe('applying value_tier');
    expect(rulePassLabel({ key: 'big', owner: '导购-王芳' }, 'en')).toBe("applying big (导购-王芳's personal tag)");
    expect(rulePassLabel({ key: 'big', owner: '导购-王芳' }, 'zh-CN')).toBe('正在应用 big（导购-王芳 的个人标签）');
  });

  it('names the passes a tick finished by key, two personal tags of one key each with its owner', () => {
    const tags = [
      { key: 'big', owner: '导购-李娜' },
      { key: 'big', owner: '导购-王芳' },
      { key: 'vip', owner: null },
    ];
    expect(cliMessages('en')('tick.resumed', { tags: resumedPassNames(tags, 'en') })).toBe("finished rule passes that a stop had cut short: big (导购-李娜's personal tag), big (导购-王芳's personal tag), vip");
    expect(cliMessages('zh-CN')('tick.resumed', { tags: resumedPassNames(tags, 'zh-CN') })).toBe('已补完被中断的规则标签全量计算：big（导购-李娜 的个人标签）、big（导购-王芳 的个人标签）、vip');
  });

  it('lists a list as the language lists it: 、 between items in Chinese, a comma in English', () => {
    const columns = ['编号 → id', '姓名 → name', '手机 → phone'];
    expect(cliMessages('en')('import.renamedColumns', { columns })).toBe('columns read as: 编号 → id, 姓名 → name, 手机 → phone');
    expect(cliMessages('zh-CN')('import.renamedColumns', { columns })).toBe('列的对应：编号 → id、姓名 → name、手机 → phone');
    expect(cliMessages('zh-CN')('token.onlyIn', { keys: ['shop-hz'] })).toBe('仅限 shop-hz');
    expect(cliMessages('zh-CN')('field.typeOptions', { type: 'enum', options: ['金', '银', '铜'] })).toBe('enum（金、银、铜）');
    expect(fillMessage('{{items}}', { items: [] }, 'zh-CN')).toBe('');
  });

  it('names a webhook post’s one change by its id, and several by their range', () => {
    expect(deliveryItemsText({ items: 1, first_id: 9, last_id: 9 }, cliMessages('en'))).toBe('1 item, id 9');
    expect(deliveryItemsText({ items: 3, first_id: 3, last_id: 5 }, cliMessages('en'))).toBe('3 items, ids 3–5');
    expect(deliveryItemsText({ items: 1, first_id: 9, last_id: 9 }, cliMessages('zh-CN'))).toBe('1 条，编号 9');
    expect(deliveryItemsText({ items: 1200, first_id: 1, last_id: 1200 }, cliMessages('zh-CN'))).toBe('1,200 条，编号 1–1200');
  });

  it('agrees the words about a template apply’s conflicts with their number', () => {
    expect(cliMessages('en')('template.conflicts', { count: 1 })).toBe('1 conflict, left as it is in the workspace:');
    expect(cliMessages('en')('template.conflicts', { count: 2 })).toBe('2 conflicts, left as they are in the workspace:');
  });

  it('fills parameters once, leaving braces in values and progress-bar tokens alone', () => {
    expect(fillMessage('{{a}} and {{b}}', { a: '{{b}}', b: 2 })).toBe('{{b}} and 2');
    expect(cliMessages('en')('progress.bar', { label: 'export' })).toBe('export [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left');
    expect(cliMessages('zh-CN')('segment.exported', { count: 2, file: 'a.csv' })).toBe('已把 2 位客户写入 a.csv');
  });

  it('groups the digits of counts in both languages, leaving numbers given as strings (ids, offsets) as they are', () => {
    expect(cliMessages('en')('segment.count', { count: 12345, population: 1234567, share: '1.0', duration: '3.2 ms' })).toBe('12,345 of 1,234,567 customers (1.0%), counted in 3.2 ms');
    expect(cliMessages('zh-CN')('segment.count', { count: 12345, population: 1234567, share: '1.0', duration: '3.2 ms' })).toBe('1,234,567 位客户中有 12,345 位符合（1.0%），统计用时 3.2 ms');
    expect(cliMessages('en')('webhook.removed', { id: '12345' })).toBe('deleted webhook #12345');
    expect(cliMessages('en')('care.more', { first: '1001', last: '1500', total: 2400, status: 'due' })).toBe('… 1001–1500 of 2,400 due reminders shown; the next with --offset 1500');
  });

  it('says one thing in the singular and the rest in the plural in English; Chinese has no plural', () => {
    const en = cliMessages('en');
    expect(en('erase.done', { id: 'C1', records: 1, identities: 1, events: 1, assignments: 1, history: 1, snapshots: 1 })).toBe(
      'erased customer "C1": 1 record, 1 identity, 1 event, 1 tag, 1 history row, 1 snapshot membership',
    );
    expect(en('erase.done', { id: 'C1', records: 2, identities: 0, events: 1200, assignments: 3, history: 4, snapshots: 5 })).toBe(
      'erased customer "C1": 2 records, 0 identities, 1,200 events, 3 tags, 4 history rows, 5 snapshot memberships',
    );
    expect(en('care.ran', { scheduled: 1, late: 1, due: 0, skipped: 0 })).toBe('scheduled 1 reminder (1 step already long past was left out); 0 fell due, 0 skipped');
    expect(en('tick.summary', { workspaces: 1, expired: 1, refreshed: 1, changed: 1 })).toBe("1 workspace: 1 assignment expired, 1 customer's metrics refreshed, tags changed for 1");
    expect(en('template.tagCount', { count: 1 })).toBe('1 tag');
    expect(en('template.tagCount', { count: 12 })).toBe('12 tags');
    expect(en('import.summary', { file: 'a.csv', rows: 1, accepted: 1, rejected: 0, seconds: '0.1', rate: 10 })).toBe('a.csv: 1 row, 1 imported, 0 rejected in 0.1 s (10 rows/s)');
    expect(en('recompute.summary', { customers: 1, seconds: '0.1', changed: 0 })).toBe('recomputed 1 customer in 0.1 s; tags changed for 0');
    expect(en('segment.exported', { count: 1, file: 'a.csv' })).toBe('1 customer written to a.csv');
    expect(en('tagList.heading', { count: 1, workspace: 'shop' })).toBe('1 tag in the workspace "shop" (values: name, key, customers)');
    expect(cliMessages('zh-CN')('care.ran', { scheduled: 1, late: 2, due: 0, skipped: 0 })).toBe('新安排 1 条提醒（2 步早已过时，未安排）；到期 0 条，跳过 0 条');
    expect(en('segment.sizesHeading', { name: '大客户', key: 'vip', days: 1 })).toBe('大客户 (vip): size over the last 1 day');
    expect(en('segment.sizesHeading', { name: '大客户', key: 'vip', days: 30 })).toBe('大客户 (vip): size over the last 30 days');
    expect(en('template.expires', { days: 1 })).toBe('expires after 1 day');
    expect(en('template.expires', { days: 90 })).toBe('expires after 90 days');
    expect(en('care.triggerUnseen', { sampled: 1, type: 'paid_order' })).toBe('none of the latest 1 event is a paid_order: the plan schedules nothing until one arrives');
    expect(en('model.thresholds', { customers: 1, computedAt: 'now', recency: 1, frequency: 2, monetary: 1500 })).toBe('  thresholds (1 customer, now): R ≤ 1 day · F ≥ 2 · M ≥ 1,500');
    // The import bar's row count is filled here, since cli-progress fills its own tokens as given.
    expect(en('import.progressRows', { rows: 1 })).toBe('1 row');
    expect(en('import.progressRows', { rows: 12345 })).toBe('12,345 rows');
    expect(cliMessages('zh-CN')('import.progressRows', { rows: 12345 })).toBe('12,345 行');
    // The server's own log lines, in English, count the same way.
    expect(indexLine('shop', { customers: 1, bitmaps: 1, bytes: 0, buildMs: 2, origin: 'build' })).toBe('index of workspace "shop": 1 customer, 1 bitmap, 0.0 MiB, built in 2 ms');
    expect(indexLine('shop', { customers: 12345, bitmaps: 2, bytes: 0, buildMs: 2, origin: 'snapshot' })).toBe('index of workspace "shop": 12,345 customers, 2 bitmaps, 0.0 MiB, loaded from its snapshot in 2 ms');
    // A workspace named by its key in every line of its index, as the line of its build names it.
    expect(snapshotLine('shop', { bytes: 0, parts: 1, encodeMs: 1, writeMs: 1 })).toBe('index snapshot of workspace "shop": 0.0 MiB in 1 part, encoded in 1 ms, written in 1 ms');
    expect(snapshotRejectedLine('shop', 'no snapshot yet')).toBe('index of workspace "shop": building from the store (no snapshot yet)');
    // No "(s)" is left for a person to read past.
    for (const [key, texts] of Object.entries(CLI_MESSAGES)) expect(texts.en, key).not.toMatch(/\w\((s|es)\)/);
  });

  it('quotes names and given values in Chinese with 「」, as the error table, the API and the console do', () => {
    for (const [key, texts] of Object.entries(CLI_MESSAGES)) expect(texts['zh-CN'], key).not.toMatch(/[“"]\{\{\w+\}\}[”"]/);
    const say = cliMessages('zh-CN');
    expect(say('tagList.none', { workspace: 'shop' })).toBe('工作空间「shop」还没有标签；可用 tagbase template apply 套用模板');
    expect(say('invalid.port', { setting: 'PORT', port: 'abc' })).toBe('PORT 必须是 0 到 65535 之间的整数；收到的是「abc」');
    expect(say('erase.needsYes', { id: 'C1' })).toBe('删除客户「C1」后无法恢复；确认要删除请加上 --yes 再运行');
  });

  it('rewords commander usage errors under Chinese only', () => {
    const unknown = "error: unknown option '--workspac'\n(Did you mean --workspace?)\n";
    expect(translateCommanderError(unknown, 'en')).toBe(unknown);
    expect(translateCommanderError(unknown, 'zh-CN')).toBe('错误：未知选项 --workspac\n（是不是要用 --workspace？）\n');
    expect(translateCommanderError("(Did you mean one of --seed, --segment?)", 'zh-CN')).toBe('（是不是要用 --seed, --segment 之一？）');
    expect(translateCommanderError("error: too many arguments for 'import'. Expected 2 arguments but got 3.\n", 'zh-CN')).toBe('错误：import 的参数太多：应有 2 个，收到 3 个。\n');
    expect(translateCommanderError("error: option '--jaccard <x>' argument '2' is invalid. 必须是大于 0 且不超过 1 的数\n", 'zh-CN')).toBe(
      '错误：选项 --jaccard <x> 的取值「2」无效：必须是大于 0 且不超过 1 的数\n',
    );
    expect(translateCommanderError("error: required option '-r, --role <role>' not specified\n", 'zh-CN')).toBe('错误：缺少必需的选项 -r, --role <role>\n');
    expect(translateCommanderError("error: command-argument value 'abc' is invalid for argument 'id'. 必须是正整数\n", 'zh-CN')).toBe('错误：参数 id 的取值「abc」无效：必须是正整数\n');
    expect(translateCommanderError('error: something commander says that we do not know\n', 'zh-CN')).toBe('error: something commander says that we do not know\n');
  });

  it('says in the help everything tick, segment and tag do', () => {
    for (const locale of LOCALES) {
      const commands = new Map(buildProgram(locale).commands.map((command) => [command.name(), command.description()]));
      expect(commands.get('tick'), locale).toMatch(locale === 'en' ? /care reminders, segment sizes$/ : /关怀提醒、人群人数记录$/);
      expect(commands.get('segment'), locale).toContain(locale === 'en' ? 'size day by day' : '每天的人数');
      // `tag list` prints the library: the summary says so beside transitions and profiles.
      expect(commands.get('tag'), locale).toMatch(locale === 'en' ? /^the tag library/ : /^在终端查看标签库/);
    }
  });

  it('says in the help what each argument of every command is, in each language', () => {
    const everyCommand = (command: Command, path: string[] = []): [string, Command][] => [[path.join(' '), command], ...command.commands.flatMap((sub) => everyCommand(sub, [...path, sub.name()]))];
    for (const locale of LOCALES) {
      for (const [name, command] of everyCommand(buildProgram(locale))) {
        for (const argument of command.registeredArguments) expect(argument.description, `${name} <${argument.name()}> in ${locale}`).not.toBe('');
      }
    }
  });

  it('breaks Chinese help between characters, keeping every line of every command inside an 80-column terminal', () => {
    const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
    for (const locale of LOCALES) {
      for (const command of everyCommand(buildProgram(locale))) {
        command.configureOutput({ getOutHelpWidth: () => 80 });
        for (const line of command.helpInformation().split('\n')) expect(terminalWidth(line), `${command.name()} in ${locale}: ${line}`).toBeLessThanOrEqual(80);
      }
    }
    const root = buildProgram('zh-CN');
    root.configureOutput({ getOutHelpWidth: () => 80 });
    // The description goes on under itself, not from the line's start; no line starts with a closing mark.
    const help = root.helpInformation();
    expect(help).toMatch(/\n {2}tick {18}执行随时间到期的工作：尚未应用的已接收事件、过期的打标记\n {24}录、移动的指标时间窗/);
    expect(help).not.toMatch(/\n {24}[，。、；：）]/);
  });

  it('shows examples under the help that fit the terminal and name only options their command has, and no default of nothing', () => {
    const everyCommand = (command: Command, path: Command[] = []): Command[][] => [[...path, command], ...command.commands.flatMap((sub) => everyCommand(sub, [...path, command]))];
    /** Words as a shell splits them, in single quotes or not; what follows a pipe or > is another command's. */
    const words = (line: string) => [...line.replace(/ (\||>) .*$/, '').matchAll(/'[^']*'|\S+/g)].map((match) => match[0]);
    for (const locale of LOCALES) {
      let shown = 0;
      for (const path of everyCommand(buildProgram(locale))) {
        const command = path.at(-1);
        if (command === undefined) continue;
        let help = '';
        command.configureOutput({ writeOut: (text) => (help += text), getOutHelpWidth: () => 80 });
        command.outputHelp();
        const name = path.map((each) => each.name()).join(' ');
        expect(help, `${name} in ${locale}`).not.toMatch(/default: (false|\[\]|"")|默认：(false|\[\]|"")/);
        if (command.options.some((option) => option.long === '--database')) expect(help, `${name} in ${locale}`).toContain('$TAGBASE_DATABASE_URL');
        const examples = help.split(locale === 'en' ? '\nExamples:\n' : '\n示例：\n')[1];
        if (examples === undefined) continue;
        for (const line of examples.trimEnd().split('\n')) {
          shown++;
          expect(terminalWidth(line), `${name} in ${locale}: ${line}`).toBeLessThanOrEqual(80);
          const typed = words(line.replace(/^ +(curl .*\| )?/, ''));
          expect(typed[0], line).toBe('tagbase');
          // The command the example runs, then each option it gives known to that command or the program.
          let target = path[0];
          for (const word of typed.slice(1)) {
            const sub = target?.commands.find((each) => each.name() === word);
            if (sub === undefined) break;
            target = sub;
          }
          for (const option of typed.filter((word) => /^--?[a-z]/.test(word))) {
            expect(target?.options.some((known) => known.short === option || known.long === option), `${line}: ${option}`).toBe(true);
          }
        }
      }
      expect(shown, locale).toBeGreaterThan(10);
    }
  });

  it('says an option’s default once: a description does not name the default commander adds after it', () => {
    const everyCommand = (command: Command): Command[] => [command, ...command.commands.flatMap(everyCommand)];
    for (const locale of LOCALES) {
      for (const command of everyCommand(buildProgram(locale))) {
        for (const option of command.options) {
          if (option.defaultValue === undefined || option.defaultValue === false) continue;
          expect(option.description, `${command.name()} ${option.flags} in ${locale}`).not.toMatch(/\(default|（默认/);
        }
      }
    }
  });

  it('measures names as a terminal shows them: emoji and the rarer characters beyond the first plane take two columns, marks and joiners none', () => {
    expect(terminalWidth('小王🐱')).toBe(6);
    // 𠮷 (U+20BB7) and 𬌗 (U+2C317), as some people's names are written.
    expect(terminalWidth('吉𠮷')).toBe(4);
    expect(terminalWidth('陈𬌗')).toBe(4);
    expect(terminalWidth('e\u0301')).toBe(1);
    expect(terminalTable([['小王🐱', '杭州'], ['吉𠮷', '上海'], ['Zoe', '北京']])).toEqual(['小王🐱  杭州', '吉𠮷    上海', 'Zoe     北京']);
  });

  it('wraps between words and Chinese characters alike, keeping punctuation with what it belongs to', () => {
    expect(wrapWide('把 SQLite 数据库复制到 FILE，服务器写入时也得到一致的副本（PostgreSQL 请用 pg_dump）', 46)).toBe('把 SQLite 数据库复制到 FILE，服务器写入时也得\n到一致的副本（PostgreSQL 请用 pg_dump）');
    expect(wrapWide('copy a SQLite store to FILE, consistent even while the server writes', 46)).toBe('copy a SQLite store to FILE, consistent even\nwhile the server writes');
    // 21 characters fill 42 columns: the full stop after them goes with the last, not to a line of its own.
    expect(wrapWide(`${'字'.repeat(21)}。${'字'.repeat(3)}`, 42)).toBe(`${'字'.repeat(20)}\n字。字字字`);
    expect(wrapWide(`${'字'.repeat(20)}（括号）`, 42)).toBe(`${'字'.repeat(20)}\n（括号）`);
    expect(wrapWide('一行\n\n两行', 60)).toBe('一行\n\n两行');
    // An opening bracket goes with what it opens, English or Chinese.
    expect(wrapWide(`${'x'.repeat(39)} (鞋码, 会员备注)`, 42)).toBe(`${'x'.repeat(39)}\n(鞋码, 会员备注)`);
    // Nothing is lost, lone brackets and quotes included, when the text fits.
    for (const text of ['a ( b ) c', '「」 " \' [x] {y}', 'segment("重要价值客户")，然后 (', '  leading spaces kept']) expect(wrapWide(text, 200)).toBe(text);
  });

  it('words template conflicts in Chinese with Chinese field names, and a name taken as the tag not created', () => {
    const say = (conflict: TemplateConflict) => describeConflict(conflict, 'zh-CN');
    expect(say({ group: 'dining', tag: 'taste', field: 'name', template: '口味', workspace: '味道' })).toBe('分组 dining，标签 taste：名称这里是“味道”，模板中是“口味”；保留');
    expect(say({ tag: 'taste', value: 'mild', field: 'value', template: '清淡', workspace: null })).toBe('标签 taste，值 mild：这里没有（模板中是“清淡”）；不添加');
    expect(say({ tag: 'taste', value: 'odd', field: 'value', template: null, workspace: '奇怪' })).toBe('标签 taste，值 odd：“奇怪”不在模板中；保留');
    expect(say({ tag: 'taste', field: 'status', template: 'active', workspace: 'archived' })).toBe('标签 taste：状态这里是“已归档”，模板中是“启用”；保留');
    expect(say({ tag: 'taste', field: 'scope', template: 'enterprise', workspace: 'personal (alice, bob)' })).toBe('标签 taste：范围这里是“个人（alice, bob）”，模板中是“企业”；保留');
    expect(say({ tag: 'age_band', field: 'name_taken', template: '年龄段', workspace: 'my_age' })).toBe('标签 age_band：名称“年龄段”在这里已被标签 my_age 使用；未创建');
    expect(say({ tag: 'city', field: 'name_taken', template: '城市', workspace: 'field:city' })).toBe('标签 city：名称“城市”在这里已被字段 city 使用；未创建');
    expect(say({ group: 'basic', field: 'name_taken', template: '基础属性', workspace: 'base' })).toBe('分组 basic：名称“基础属性”在这里已是分组 base 的名称；其标签放入该分组');
    expect(describeConflict({ tag: 'age_band', field: 'name_taken', template: '年龄段', workspace: 'my_age' })).toBe('tag age_band: its name "年龄段" is taken here by tag my_age; not created');
    expect(describeConflict({ group: 'basic', field: 'name_taken', template: '基础属性', workspace: 'base' })).toBe('group basic: its name "基础属性" is taken here by group base; its tags go there');
  });
});
