// The audit trail's and the token list's times as a person at a terminal reads them: to the
// minute in the workspace's zone, named once, as the other lists write them, in either language.
import { describe, expect, it } from 'vitest';
import { formatAudit } from '../../src/cli/audit.js';
import { cliMessages } from '../../src/cli/messages.js';
import { formatTokens } from '../../src/cli/token.js';
import type { AuditEntryJson } from '../../src/engine/audit.js';
import type { AccessTokenJson } from '../../src/engine/access-tokens.js';

const entry = (id: number, at: string, actor: string, summary: string, target: string, status: number | null): AuditEntryJson => ({ id, at, actor, source: status === null ? 'cli' : 'api', action: '', summary, target, status });

describe('tagbase audit', () => {
  const page = { items: [entry(12, '2026-12-05T08:48:30.118Z', '导购-王芳', '给客户打标签', '/customers/C017246/tags', 200), entry(11, '2026-12-04T23:59:59.000Z', 'cli', '创建访问令牌', '分析-小陈 (viewer)', null)], next_before: 11 };

  it('writes each time at the workspace’s clock, names the zone once, and says how to read the older entries', () => {
    expect(formatAudit(page, cliMessages('zh-CN'), 480).split('\n')).toEqual([
      '2026-12-05 16:48  导购-王芳  api  给客户打标签  /customers/C017246/tags  200',
      '2026-12-05 07:59  cli        cli  创建访问令牌  分析-小陈 (viewer)',
      '…… 还有更早的记录：加上 --before 11 查看',
      '（时间为 UTC+08:00）',
    ]);
    // Another workspace's zone is another day.
    const elsewhere = formatAudit({ ...page, next_before: null }, cliMessages('en'), -300).split('\n');
    expect([elsewhere[0]?.slice(0, 16), elsewhere[1]?.slice(0, 16), ...elsewhere.slice(2)]).toEqual(['2026-12-05 03:48', '2026-12-04 18:59', '(times in UTC-05:00)']);
  });

  it('prints a path naming a segment in Chinese decoded, and one that does not decode as UTF-8 as stored', () => {
    const targets = { items: [entry(14, '2026-12-05T08:48:30.118Z', 'cli', '导出人群', '/segments/%E9%87%8D%E8%A6%81%E5%AE%A2%E6%88%B7/export', null), entry(13, '2026-12-05T08:47:30.118Z', 'cli', '导出人群', '/segments/%E9%87/export', null)], next_before: null };
    const lines = formatAudit(targets, cliMessages('zh-CN'), 480).split('\n');
    expect(lines[0]).toMatch(/ \/segments\/重要客户\/export$/);
    expect(lines[1]).toMatch(/ \/segments\/%E9%87\/export$/);
  });

  it('tells an empty trail from filters that match nothing', () => {
    expect(formatAudit({ items: [], next_before: null }, cliMessages('en'), 480)).toBe('the audit trail is empty');
    expect(formatAudit({ items: [], next_before: null }, cliMessages('zh-CN'), 480, true)).toBe('审计日志中没有符合条件的记录');
  });
});

describe('tagbase token list', () => {
  it('writes when each token was made, used, expires or was revoked at the default workspace’s clock', () => {
    const token: AccessTokenJson = { id: 1, name: '临时-小张', role: 'viewer', workspaces: null, created_at: '2026-12-05T08:48:00.000Z', expires_at: '2026-12-04T16:00:00.000Z', last_used_at: '2026-12-04T15:59:00.000Z', revoked_at: null };
    expect(formatTokens([token], cliMessages('zh-CN'), 480, Date.parse('2026-12-05T09:00:00Z'))).toBe('临时-小张  viewer  创建于 2026-12-05 16:48  已于 2026-12-05 00:00 过期  最近使用 2026-12-04 23:59\n（时间为 UTC+08:00）');
  });
});
