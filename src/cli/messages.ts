// Every line the CLI itself shows a person, in each language it speaks: help texts, progress
// labels, summaries. Scripts read --json and CSV, whose shape does not follow these wordings.
import type { Locale } from '../core/locale.js';
import { cliLocale } from './errors.js';

/**
 * `{{name}}` marks a parameter, filled in by `cliMessages`; a number is written as the language
 * groups its digits (12,345), so a number that names something (an id, a port) is given as a
 * string. `{{name:one|other}}` is the word that agrees with the number `name` (English:
 * `{{count}} {{count:customer|customers}}`). Single braces are left alone: they are
 * cli-progress's own tokens (`{bar}`, `{percentage}`) in the progress-bar formats.
 */
export const CLI_MESSAGES = messageTable({
  // Help: the program, its commands, their arguments and options.
  'help.program': {
    en: 'Customer tags and segments (客户标签系统): a tag library, manual and automatic tagging, segments.',
    'zh-CN': '客户标签系统（Customer tags and segments）：标签库、手动与自动打标签、客户分群。',
  },
  'help.version': { en: 'output the version number', 'zh-CN': '显示版本号' },
  'help.help': { en: 'display help for command', 'zh-CN': '显示命令的帮助' },
  'help.afterError': { en: '(add --help to see how the command is used)', 'zh-CN': '（加上 --help 查看命令用法）' },
  'help.serve': { en: 'run the HTTP API and console (migrates the store first)', 'zh-CN': '运行 HTTP API 和控制台（先迁移存储）' },
  'help.migrate': { en: 'bring the store schema up to date', 'zh-CN': '把存储的表结构更新到最新' },
  'help.backup': {
    en: 'copy a SQLite store to FILE, consistent even while the server writes (PostgreSQL: pg_dump)',
    'zh-CN': '把 SQLite 数据库复制到 FILE，服务器写入时也得到一致的副本（PostgreSQL 请用 pg_dump）',
  },
  'help.demo': {
    en: 'fill a workspace with a realistic demo store (customers, two years of events, tags)',
    'zh-CN': '用一个逼真的演示商城填充工作空间（客户、两年的事件、标签）',
  },
  'help.import': { en: 'import customers, events or assignments from CSV, JSON Lines or an Excel workbook', 'zh-CN': '从 CSV、JSON Lines 或 Excel 工作簿导入客户、事件或打标记录' },
  'help.customer': { en: 'customers one by one: read a portrait, erase on request', 'zh-CN': '逐个处理客户：查看客户画像，按要求删除个人信息' },
  'help.customer.show': {
    en: "a customer's portrait: fields, identities, tags and where they came from, metrics, recent events and tag changes",
    'zh-CN': '客户画像：字段、身份标识、标签及其来源、指标、最近的事件和标签变化',
  },
  'help.option.portraitJson': { en: 'print the portrait as JSON, as GET /api/v1/customers/{id} answers it', 'zh-CN': '以 JSON 输出画像，与 GET /api/v1/customers/{id} 的回答相同' },
  'help.option.portraitBy': { en: 'find the customer by an identity of this kind (phone, email, wechat_unionid, wechat_openid, platform_nick, member_card) rather than by id', 'zh-CN': '按这种身份标识（phone、email、wechat_unionid、wechat_openid、platform_nick、member_card）而不是编号查找客户' },
  'invalid.identityKind': { en: 'use phone, email, wechat_unionid, wechat_openid, platform_nick or member_card', 'zh-CN': '可选 phone、email、wechat_unionid、wechat_openid、platform_nick 或 member_card' },
  'help.option.portraitRecent': { en: 'how many of the latest events and tag changes to show', 'zh-CN': '显示最近多少条事件和标签变化' },
  'customer.field.type': { en: 'type', 'zh-CN': '客户类型' },
  'customer.field.gender': { en: 'gender', 'zh-CN': '性别' },
  'customer.field.birthday': { en: 'birthday', 'zh-CN': '生日' },
  'customer.field.city': { en: 'city', 'zh-CN': '城市' },
  'customer.field.region': { en: 'region', 'zh-CN': '地区' },
  'customer.field.occupation': { en: 'occupation', 'zh-CN': '职业' },
  'customer.field.member_level': { en: 'member level', 'zh-CN': '会员等级' },
  'customer.field.source_channel': { en: 'source channel', 'zh-CN': '来源渠道' },
  'customer.field.first_seen_at': { en: 'first seen', 'zh-CN': '首次访问时间' },
  'customer.identity.phone': { en: 'phone', 'zh-CN': '手机' },
  'customer.identity.email': { en: 'email', 'zh-CN': '邮箱' },
  'customer.identity.wechat_unionid': { en: 'WeChat UnionID', 'zh-CN': '微信 UnionID' },
  'customer.identity.wechat_openid': { en: 'WeChat OpenID', 'zh-CN': '微信 OpenID' },
  'customer.identity.platform_nick': { en: 'platform nickname', 'zh-CN': '平台昵称' },
  'customer.identity.member_card': { en: 'member card', 'zh-CN': '会员卡号' },
  'help.tag.list': { en: 'the tag library: each tag\'s key, kind and values, and how many customers hold each value', 'zh-CN': '标签库：每个标签的键、类型和值，以及持有每个值的客户数' },
  'help.option.tagListJson': { en: 'print the library as JSON (keys, names, kinds, values and their customer counts)', 'zh-CN': '以 JSON 输出标签库（键、名称、类型、值及其客户数）' },
  'help.option.tagListArchived': { en: 'list archived tags too', 'zh-CN': '同时列出已归档的标签' },
  'tagList.none': { en: 'the workspace "{{workspace}}" has no tags yet; apply a template with tagbase template apply', 'zh-CN': '工作空间“{{workspace}}”还没有标签；可用 tagbase template apply 套用模板' },
  'tagList.heading': { en: '{{count}} {{count:tag|tags}} in the workspace "{{workspace}}" (values: name, key, customers)', 'zh-CN': '工作空间“{{workspace}}”共 {{count}} 个标签（值：名称、键、客户数）' },
  'tagList.ungrouped': { en: 'Not in a group', 'zh-CN': '未分组' },
  'tagList.personal': { en: 'Personal tags of staff members', 'zh-CN': '员工的个人标签' },
  'tagList.kind.manual': { en: 'manual', 'zh-CN': '手动' },
  'tagList.kind.rule': { en: 'rule', 'zh-CN': '规则' },
  'tagList.kind.model': { en: 'model', 'zh-CN': '模型' },
  'tagList.single': { en: 'single value', 'zh-CN': '单值' },
  'tagList.multi': { en: 'several values', 'zh-CN': '多值' },
  'tagList.ordered': { en: 'ordered', 'zh-CN': '有序' },
  'tagList.owner': { en: 'owner {{owner}}', 'zh-CN': '所有者 {{owner}}' },
  'tagList.archived': { en: 'archived', 'zh-CN': '已归档' },
  'tagList.traits': { en: '({{traits}})', 'zh-CN': '（{{traits}}）' },
  'tagList.traitSeparator': { en: ', ', 'zh-CN': '，' },
  'tagList.noValues': { en: 'no values', 'zh-CN': '没有值' },
  'customer.source.manual': { en: 'by hand', 'zh-CN': '手动' },
  'customer.source.import': { en: 'import', 'zh-CN': '导入' },
  'customer.source.api': { en: 'API', 'zh-CN': '接口' },
  'customer.source.rule': { en: 'rule', 'zh-CN': '规则' },
  'customer.source.model': { en: 'model', 'zh-CN': '模型' },
  'customer.action.add': { en: 'added', 'zh-CN': '添加' },
  'customer.action.remove': { en: 'removed', 'zh-CN': '移除' },
  'customer.action.replace': { en: 'replaced', 'zh-CN': '替换' },
  'customer.action.expire': { en: 'expired', 'zh-CN': '过期' },
  'customer.zone': { en: '(times in {{zone}})', 'zh-CN': '（时间为 {{zone}}）' },
  'customer.tags': { en: 'Tags ({{count}})', 'zh-CN': '标签（{{count}}）' },
  'customer.noTags': { en: 'no tags', 'zh-CN': '没有标签' },
  'customer.expires': { en: 'expires {{at}}', 'zh-CN': '{{at}} 到期' },
  'customer.metrics': { en: 'Metrics ({{count}} with a value)', 'zh-CN': '指标（{{count}} 项有值）' },
  'customer.noMetrics': { en: 'no metric has a value yet', 'zh-CN': '还没有有值的指标' },
  'customer.recentEvents': { en: 'Latest events ({{count}})', 'zh-CN': '最近的事件（{{count}}）' },
  'customer.noEvents': { en: 'no events', 'zh-CN': '没有事件' },
  'customer.recentHistory': { en: 'Latest tag changes ({{count}})', 'zh-CN': '最近的标签变化（{{count}}）' },
  'customer.noHistory': { en: 'no tag changes', 'zh-CN': '没有标签变化' },
  'help.customer.erase': {
    en: 'erase a customer for good on request (PIPL, GDPR): records merged into it, identities, events, tags, history, metrics',
    'zh-CN': '按要求永久删除一位客户（个人信息保护法、GDPR）：含合并进来的记录、身份标识、事件、标签、历史和指标',
  },
  'help.arg.customerId': { en: 'the customer id', 'zh-CN': '客户编号' },
  'help.option.yes': { en: 'erase without asking: it cannot be undone', 'zh-CN': '不再确认直接删除：删除后无法恢复' },
  'erase.needsYes': {
    en: 'erasing customer "{{id}}" cannot be undone; run it again with --yes to erase',
    'zh-CN': '删除客户“{{id}}”后无法恢复；确认要删除请加上 --yes 再运行',
  },
  'erase.done': {
    en: 'erased customer "{{id}}": {{records}} {{records:record|records}}, {{identities}} {{identities:identity|identities}}, {{events}} {{events:event|events}}, {{assignments}} {{assignments:tag|tags}}, {{history}} history {{history:row|rows}}, {{snapshots}} snapshot {{snapshots:membership|memberships}}',
    'zh-CN': '已删除客户“{{id}}”：{{records}} 条记录、{{identities}} 个身份标识、{{events}} 个事件、{{assignments}} 个标签、{{history}} 条标签历史、{{snapshots}} 个快照成员',
  },
  'help.token': {
    en: 'access tokens: who may use the API and console, in which role (the API asks for one once any exists)',
    'zh-CN': '访问令牌：谁能使用 API 和控制台、以什么角色（一旦存在任何令牌，API 就要求令牌）',
  },
  'help.token.create': {
    en: 'make a token for a person or an integration; it is shown once',
    'zh-CN': '为某人或某个集成创建令牌；令牌只显示这一次',
  },
  'help.token.list': { en: 'list the tokens (never the tokens themselves)', 'zh-CN': '列出令牌（不显示令牌本身）' },
  'help.workspace': {
    en: 'workspaces: one for each merchant or store this deployment serves (-w names one in the other commands)',
    'zh-CN': '工作空间：本部署服务的每个商家或门店各一个（其他命令用 -w 指定）',
  },
  'help.workspace.list': { en: 'list the workspaces', 'zh-CN': '列出工作空间' },
  'help.workspace.create': { en: 'make a workspace; its key is what -w and X-Tagbase-Workspace name', 'zh-CN': '新建工作空间；其键即 -w 与 X-Tagbase-Workspace 所用的名称' },
  'help.workspace.update': {
    en: "rename a workspace, or move it to another time zone (every customer's metrics and rule tags are recomputed in the new one)",
    'zh-CN': '修改工作空间名称，或改到另一个时区（所有客户的指标和规则标签按新时区重新计算）',
  },
  'help.option.utcOffset': { en: 'its time zone, as +08:00 or UTC-5 (default +08:00, China time): its days are counted in it', 'zh-CN': '时区，如 +08:00 或 UTC-5（默认 +08:00，中国时间）：按它计算日期' },
  'help.option.utcOffsetChange': { en: 'a new time zone, as +08:00 or UTC-5', 'zh-CN': '新的时区，如 +08:00 或 UTC-5' },
  'help.option.workspaceNewName': { en: 'a new name shown in the console', 'zh-CN': '控制台显示的新名称' },
  'invalid.utcOffset': { en: 'must be a time zone as +08:00, +8, UTC-5 or -03:30, from -12:00 to +14:00 in quarter hours', 'zh-CN': '必须是时区，如 +08:00、+8、UTC-5 或 -03:30，范围 -12:00 到 +14:00，以 15 分钟为单位' },
  'workspace.updated': { en: 'workspace "{{key}}": {{name}}, {{zone}}', 'zh-CN': '工作空间“{{key}}”：{{name}}，{{zone}}' },
  'workspace.nothingToUpdate': { en: 'nothing to change: give --name or --utc-offset', 'zh-CN': '没有要修改的内容：请给出 --name 或 --utc-offset' },
  'help.arg.workspaceKey': { en: 'letters, digits, "-" or "_" (shop-hz)', 'zh-CN': '字母、数字、“-”或“_”（shop-hz）' },
  'help.option.workspaceName': { en: 'the name shown in the console (default: the key)', 'zh-CN': '控制台显示的名称（默认与键相同）' },
  'workspace.line': { en: '{{key}}  {{name}}  {{zone}}  created {{created}}', 'zh-CN': '{{key}}  {{name}}  {{zone}}  创建于 {{created}}' },
  'workspace.created': {
    en: 'created the workspace "{{key}}" ({{name}}); name it with -w {{key}}, or X-Tagbase-Workspace: {{key}} on the API',
    'zh-CN': '已创建工作空间“{{key}}”（{{name}}）；命令中用 -w {{key}} 指定，API 中用 X-Tagbase-Workspace: {{key}}',
  },
  'help.field': {
    en: "the custom fields of a workspace's customers (鞋码, 会员备注): declared here before imports and the API fill them",
    'zh-CN': '工作空间中客户的自定义字段（鞋码、会员备注）：导入和 API 写入之前先在这里声明',
  },
  'help.field.list': { en: 'list the custom fields', 'zh-CN': '列出自定义字段' },
  'help.field.add': { en: 'declare a custom field; an import reads the column custom.KEY (or KEY) into it', 'zh-CN': '声明自定义字段；导入时读取 custom.KEY（或 KEY）列' },
  'help.arg.fieldKey': { en: 'letters (Chinese too), digits, "_" or "-", starting with a letter or "_" (shoe_size, 会员备注)', 'zh-CN': '汉字、字母、数字、“_”或“-”，以汉字、字母或“_”开头（shoe_size、会员备注）' },
  'help.option.fieldName': { en: 'the name shown in the console (default: the key)', 'zh-CN': '控制台显示的名称（默认与键相同）' },
  'help.option.fieldType': { en: 'string, number, boolean, date or enum', 'zh-CN': 'string、number、boolean、date 或 enum' },
  'help.option.fieldOptions': { en: 'the values an enum field may hold, separated by commas', 'zh-CN': '枚举字段可取的值，用逗号分隔' },
  'invalid.fieldType': { en: 'use string, number, boolean, date or enum', 'zh-CN': '可选 string、number、boolean、date 或 enum' },
  'field.none': { en: 'the workspace "{{workspace}}" has no custom fields; declare one with tagbase field add', 'zh-CN': '工作空间“{{workspace}}”还没有自定义字段；可用 tagbase field add 声明' },
  'field.line': { en: '{{key}}  {{name}}  {{type}}{{options}}', 'zh-CN': '{{key}}  {{name}}  {{type}}{{options}}' },
  'field.added': {
    en: 'declared the custom field "{{key}}" ({{name}}, {{type}}) in the workspace "{{workspace}}"; imports read the column custom.{{key}} or {{key}} into it',
    'zh-CN': '已在工作空间“{{workspace}}”声明自定义字段“{{key}}”（{{name}}，{{type}}）；导入时读取 custom.{{key}} 或 {{key}} 列',
  },
  'help.token.revoke': { en: 'revoke a token: a running server refuses it within 2 seconds', 'zh-CN': '吊销令牌：运行中的服务在 2 秒内拒绝它' },
  'help.arg.tokenName': { en: 'who acts with it, as the tag history and export log will name them (导购-王芳, crm-sync)', 'zh-CN': '使用者的名称，标签历史和导出记录将以此记名（导购-王芳、crm-sync）' },
  'help.option.role': {
    en: 'admin (everything, identifiers whole), operator (read, change, export; identifiers masked) or viewer (read only, masked)',
    'zh-CN': 'admin（全部权限，身份标识完整显示）、operator（查看、修改、导出；身份标识打码）或 viewer（只读，打码）',
  },
  'token.created': {
    en: 'created a token for "{{name}}" in the role {{role}}; it is shown only now, keep it somewhere safe:\n{{token}}\nsend it as Authorization: Bearer <token>, or paste it into the console\'s sign-in',
    'zh-CN': '已为“{{name}}”创建角色为 {{role}} 的令牌；令牌只显示这一次，请妥善保存：\n{{token}}\n调用 API 时以 Authorization: Bearer <令牌> 发送，或在控制台的登录页粘贴',
  },
  'token.firstCreated': {
    en: 'this is the first token: from now on the API and the console ask for a token',
    'zh-CN': '这是第一个令牌：从现在起，API 和控制台都要求提供令牌',
  },
  'token.none': { en: 'no access tokens: the API is open to whoever can reach it', 'zh-CN': '没有访问令牌：任何能访问到服务的人都可以使用 API' },
  'token.line': { en: '{{name}}  {{role}}  created {{created}}{{notes}}', 'zh-CN': '{{name}}  {{role}}  创建于 {{created}}{{notes}}' },
  'token.revokedSuffix': { en: '  revoked {{at}}', 'zh-CN': '  吊销于 {{at}}' },
  'token.expiresSuffix': { en: '  expires {{at}}', 'zh-CN': '  过期于 {{at}}' },
  'token.expiredSuffix': { en: '  expired {{at}}', 'zh-CN': '  已于 {{at}} 过期' },
  'token.usedSuffix': { en: '  last used {{at}}', 'zh-CN': '  最近使用 {{at}}' },
  'token.neverUsedSuffix': { en: '  never used', 'zh-CN': '  从未使用' },
  'token.workspacesSuffix': { en: '  only in {{keys}}', 'zh-CN': '  仅限 {{keys}}' },
  'help.option.tokenWorkspace': {
    en: 'limit the token to this workspace (repeat for several; default: every workspace)',
    'zh-CN': '令牌仅限此工作空间（可重复指定多个；默认：全部工作空间）',
  },
  'token.expiresAt': { en: 'it is refused from {{at}}', 'zh-CN': '该令牌自 {{at}} 起失效' },
  'help.option.expiresIn': { en: 'refuse the token after this many days (default: never)', 'zh-CN': '多少天后令牌失效（默认：永不）' },
  'token.revoked': { en: 'revoked the token of "{{name}}"', 'zh-CN': '已吊销“{{name}}”的令牌' },
  'token.lastRevoked': {
    en: 'no live token is left: the API is open again to whoever can reach it',
    'zh-CN': '已没有有效令牌：任何能访问到服务的人都可以再次使用 API',
  },
  'serve.openOnNetwork': {
    en: 'warning: listening on {{host}} with no access token, so anyone who can reach this port reads and changes every customer; create one with `tagbase token create <name> --role admin`',
    'zh-CN': '警告：正在 {{host}} 上监听且没有任何访问令牌，能访问此端口的任何人都能查看和修改全部客户；请用 `tagbase token create <名称> --role admin` 创建令牌',
  },
  'help.audit': {
    en: 'the audit trail, newest first: who changed what through the API, and the token and erasure commands',
    'zh-CN': '审计日志（最新在前）：谁通过 API 修改了什么，以及令牌和删除个人信息命令',
  },
  'help.option.auditLimit': { en: 'how many entries (at most 500)', 'zh-CN': '显示多少条（最多 500）' },
  'audit.none': { en: 'the audit trail is empty', 'zh-CN': '审计日志为空' },
  'help.tag': { en: 'the tag library from the terminal, and a tag\'s values: how customers moved between them, and what each value\'s customers are worth', 'zh-CN': '在终端查看标签库与标签各值：客户在值之间的流转，以及各值客户的画像' },
  'help.tag.transitions': {
    en: 'how customers moved between a tag\'s values over a period (the last 30 days unless told), read from the tag history',
    'zh-CN': '一段时间内（默认最近 30 天）客户在标签各值之间的流转，取自标签历史',
  },
  'help.arg.tag': { en: 'the tag, by key or display name', 'zh-CN': '标签，标识或显示名称' },
  'help.option.from': { en: 'start of the period: a date or time in the workspace\'s time zone (2026-11-01)', 'zh-CN': '时间段开始：工作空间时区的日期或时间（2026-11-01）' },
  'help.option.to': { en: 'end of the period (default: now)', 'zh-CN': '时间段结束（默认：现在）' },
  'help.tag.profile': {
    en: 'each value of a tag now: its customers, their share, and the mean of metrics among them (RFM measures unless told)',
    'zh-CN': '标签各值的当前画像：客户数、占比及其人均指标（默认 RFM 相关指标）',
  },
  'help.option.profileMetrics': { en: 'metrics to compare, comma-separated keys or names', 'zh-CN': '要对比的指标，逗号分隔的标识或名称' },
  'help.option.profileSegment': { en: 'only the customers of this saved segment', 'zh-CN': '只看这个已保存人群中的客户' },
  'profile.headingWithin': { en: '{{name}} ({{key}}) now, among {{segment}}', 'zh-CN': '{{name}}（{{key}}）当前，人群「{{segment}}」中' },
  'profile.heading': { en: '{{name}} ({{key}}) now', 'zh-CN': '{{name}}（{{key}}）当前' },
  'profile.column.customers': { en: 'customers', 'zh-CN': '客户数' },
  'profile.column.share': { en: 'share', 'zh-CN': '占比' },
  'profile.column.mean': { en: '{{metric}} (mean)', 'zh-CN': '人均{{metric}}' },
  'profile.holders': { en: '(holders)', 'zh-CN': '（持有者合计）' },
  'profile.everyone': { en: '(everyone)', 'zh-CN': '（全体客户）' },
  'transitions.heading': { en: '{{name}} ({{key}}): {{from}} → {{to}} ({{zone}})', 'zh-CN': '{{name}}（{{key}}）：{{from}} → {{to}}（{{zone}}）' },
  'transitions.totals': {
    en: 'held at the start {{from}} · at the end {{to}} · entered {{entered}} · left {{left}}',
    'zh-CN': '期初持有 {{from}} · 期末持有 {{to}} · 新进入 {{entered}} · 流出 {{left}}',
  },
  'transitions.totals.single': {
    en: 'held at the start {{from}} · at the end {{to}} · stayed {{stayed}} · moved {{moved}} · entered {{entered}} · left {{left}}',
    'zh-CN': '期初持有 {{from}} · 期末持有 {{to}} · 保持 {{stayed}} · 流转 {{moved}} · 新进入 {{entered}} · 流出 {{left}}',
  },
  'transitions.column.value': { en: 'value', 'zh-CN': '值' },
  'transitions.column.from': { en: 'start', 'zh-CN': '期初' },
  'transitions.column.to': { en: 'end', 'zh-CN': '期末' },
  'transitions.column.gained': { en: 'gained', 'zh-CN': '新增' },
  'transitions.column.lost': { en: 'lost', 'zh-CN': '减少' },
  'transitions.flows': { en: 'moves between values:', 'zh-CN': '值之间的流转：' },
  'transitions.noFlows': { en: '  nobody changed value', 'zh-CN': '  没有客户换过值' },
  'transitions.none': { en: '(none)', 'zh-CN': '（未持有）' },
  'transitions.removed': { en: '{{name}} (removed)', 'zh-CN': '{{name}}（已删除）' },
  'help.recompute': { en: 're-derive every metric and rule tag of a workspace from its events', 'zh-CN': '根据事件重新计算工作空间的全部指标和规则标签' },
  'help.tick': {
    en: 'run what time has made due: accepted events still pending, expired assignments, moved metric windows, clock-dependent rules, care reminders, segment sizes',
    'zh-CN': '执行随时间到期的工作：尚未应用的已接收事件、过期的打标记录、移动的指标时间窗、依赖时钟的规则、关怀提醒、人群人数记录',
  },
  'help.segment': { en: 'count, list, save, delete and export segments (answered by the bitmap index), and a saved one\'s size day by day', 'zh-CN': '统计、列出、保存、删除和导出人群（由位图索引回答），以及已保存人群每天的人数' },
  'help.segment.count': { en: 'how many customers match, and how long the count took', 'zh-CN': '有多少客户符合条件，以及统计用了多久' },
  'help.segment.export': { en: 'write the members as CSV, JSON Lines or an Excel workbook', 'zh-CN': '以 CSV、JSON Lines 或 Excel 工作簿导出人群成员' },
  'help.segment.list': { en: 'the saved segments: key, name, expression', 'zh-CN': '已保存的人群：键、名称、表达式' },
  'help.segment.save': {
    en: 'save an expression as a segment under KEY, or change the saved one of that key',
    'zh-CN': '把表达式保存为标识为 KEY 的人群，或修改该标识已保存的人群',
  },
  'help.segment.delete': { en: 'delete a saved segment and its snapshots (refused while something reads it)', 'zh-CN': '删除已保存的人群及其快照（仍被引用时拒绝）' },
  'help.option.segmentName': { en: 'its name as operators see it (the key when not given, for a new one)', 'zh-CN': '运营看到的名称（新建时不填则用标识）' },
  'help.option.segmentDescription': { en: 'what it is for', 'zh-CN': '用途说明' },
  'help.segment.sizes': { en: "a saved segment's size day by day, as recorded once a day by the server", 'zh-CN': '已保存人群每天的人数（由服务每天记录一次）' },
  'help.option.days': { en: 'how many days back, today included (1–366)', 'zh-CN': '往前多少天，含今天（1–366）' },
  'help.webhook': { en: 'webhooks: where tag changes, segment entries and exits and care reminders are posted', 'zh-CN': 'Webhook：把标签变化、人群进出和关怀提醒推送到哪里' },
  'help.webhook.list': { en: 'list the webhooks and whether their posts are getting through', 'zh-CN': '列出 Webhook 及其推送是否顺利' },
  'help.webhook.add': { en: 'post to a URL from now on; its signing secret is shown only now', 'zh-CN': '从现在起推送到一个地址；签名密钥只显示这一次' },
  'help.webhook.test': { en: 'post a signed test now and say how the receiver answered (exit code 5 when it did not take it)', 'zh-CN': '立即发送一条签名的测试推送，并说明接收方如何应答（未送达时退出码为 5）' },
  'help.webhook.deliveries': { en: "a webhook's last posts, newest first, and how its receiver answered each", 'zh-CN': '某个 Webhook 最近的推送（最新的在前）及接收方每次的应答' },
  'help.webhook.rotateSecret': { en: 'give a webhook a new signing secret, shown only now; posts the receiver refuses meanwhile are retried', 'zh-CN': '为 Webhook 更换签名密钥，新密钥只显示这一次；接收方在切换期间拒收的推送会重试' },
  'help.webhook.pause': { en: 'stop a webhook posting for a while; what happens meanwhile is kept and posted once it is resumed', 'zh-CN': '暂停一个 Webhook 的推送；期间的变化会保留，恢复后补发' },
  'help.webhook.resume': { en: 'let a paused webhook post again, starting with what it missed', 'zh-CN': '恢复已暂停的 Webhook，先补发暂停期间的内容' },
  'help.webhook.retry': { en: 'try a failing webhook again now instead of when its pause runs out', 'zh-CN': '立即重试推送失败的 Webhook，不必等到下次重试时间' },
  'help.webhook.remove': { en: 'stop a webhook: what it has not delivered is not posted any more', 'zh-CN': '停止一个 Webhook：尚未送达的推送不再发送' },
  'help.arg.webhookUrl': { en: 'the http or https URL to post to', 'zh-CN': '推送的 http 或 https 地址' },
  'help.arg.webhookId': { en: 'the webhook\'s number, as listed', 'zh-CN': 'Webhook 编号（见 list）' },
  'help.option.webhookTopic': {
    en: 'what to post: tag_changes, segment_changes, care_reminders; repeat for several (by default what --tag and --segment name, else tag_changes)',
    'zh-CN': '推送内容：tag_changes、segment_changes、care_reminders；可重复（默认按 --tag 和 --segment 所指，都不给时为 tag_changes）',
  },
  'help.option.webhookTag': { en: 'only this tag\'s changes (repeatable; every shared tag by default)', 'zh-CN': '只推送这个标签的变化（可重复；默认全部共享标签）' },
  'help.option.webhookSegment': { en: 'only this saved segment\'s entries and exits, by key or name (repeatable; every one by default)', 'zh-CN': '只推送这个已保存人群的进出（键或名称，可重复；默认全部）' },
  'help.option.webhookSecret': { en: 'the signing secret, at least 16 characters (one is made when not given)', 'zh-CN': '签名密钥，至少 16 个字符（不指定则自动生成）' },
  'help.option.webhookActor': { en: 'who acts (recorded in the audit trail)', 'zh-CN': '操作人，记入审计日志' },
  'webhook.none': { en: 'no webhooks', 'zh-CN': '没有 Webhook' },
  'webhook.failing': { en: 'failing: {{failures}} {{failures:time|times}} in a row, last {{error}}; next try {{next}}', 'zh-CN': '推送失败：连续 {{failures}} 次，最近一次 {{error}}；下次重试 {{next}}' },
  'webhook.delivered': { en: 'OK, last posted {{at}}', 'zh-CN': '正常，最近推送 {{at}}' },
  'webhook.notYet': { en: 'nothing posted yet', 'zh-CN': '尚未推送' },
  'webhook.created': { en: 'created webhook #{{id}}:', 'zh-CN': '已创建 Webhook #{{id}}：' },
  'webhook.secret': { en: 'its signing secret, shown only now (X-Tagbase-Signature is the HMAC-SHA256 of each body under it):', 'zh-CN': '签名密钥，只显示这一次（X-Tagbase-Signature 是用它对请求体计算的 HMAC-SHA256）：' },
  'webhook.testDelivered': { en: 'test post to webhook #{{id}} delivered: HTTP {{status}} in {{ms}} ms', 'zh-CN': '发往 Webhook #{{id}} 的测试推送已送达：HTTP {{status}}，{{ms}} 毫秒' },
  'webhook.testFailed': { en: 'test post to webhook #{{id}} not delivered: {{error}} (after {{ms}} ms)', 'zh-CN': '发往 Webhook #{{id}} 的测试推送未送达：{{error}}（{{ms}} 毫秒）' },
  'webhook.noDeliveries': { en: 'webhook #{{id}} has posted nothing yet', 'zh-CN': 'Webhook #{{id}} 尚未推送过' },
  'webhook.deliveryOk': { en: 'delivered, HTTP {{status}}', 'zh-CN': '已送达，HTTP {{status}}' },
  'webhook.deliveryFailed': { en: 'not delivered: {{error}}', 'zh-CN': '未送达：{{error}}' },
  'webhook.deliveryItems': { en: '{{items}} {{items:item|items}}, ids {{first}}–{{last}}', 'zh-CN': '{{items}} 条，编号 {{first}}–{{last}}' },
  'webhook.rotated': { en: 'webhook #{{id}} has a new signing secret, shown only now; posts are signed with it from now on:', 'zh-CN': 'Webhook #{{id}} 已更换签名密钥（只显示这一次），此后的推送都用它签名：' },
  'webhook.pausedState': { en: 'paused {{at}} by {{by}}: nothing is posted until it is resumed', 'zh-CN': '已由 {{by}} 于 {{at}} 暂停：恢复前不推送' },
  'webhook.done.pause': { en: 'webhook #{{id}} paused; what happens meanwhile is posted once it is resumed (tagbase webhook resume {{id}}):', 'zh-CN': 'Webhook #{{id}} 已暂停；期间的变化会在恢复后补发（tagbase webhook resume {{id}}）：' },
  'webhook.done.resume': { en: 'webhook #{{id}} resumed; the server posts what it has not delivered yet within a second:', 'zh-CN': 'Webhook #{{id}} 已恢复；服务会在一秒内补发尚未送达的内容：' },
  'webhook.done.retry': { en: 'webhook #{{id}} is tried again in the server’s next round, within a second (tagbase webhook deliveries {{id}} shows how it went):', 'zh-CN': 'Webhook #{{id}} 将在服务的下一轮（一秒内）重试（用 tagbase webhook deliveries {{id}} 查看结果）：' },
  'webhook.problem.refused': { en: 'connection refused: nothing listens at this address and port', 'zh-CN': '连接被拒绝：接收方没有在这个地址和端口上监听' },
  'webhook.problem.notFound': { en: 'no such host name', 'zh-CN': '找不到这个主机名' },
  'webhook.problem.timeout': { en: 'the receiver did not answer within 10 s', 'zh-CN': '接收方 10 秒内没有应答' },
  'webhook.problem.reset': { en: 'the receiver dropped the connection', 'zh-CN': '接收方中断了连接' },
  'webhook.problem.unreachable': { en: 'the network cannot reach this address', 'zh-CN': '网络不通，到不了这个地址' },
  'webhook.problem.certificate': { en: "the receiver's HTTPS certificate could not be verified", 'zh-CN': '接收方的 HTTPS 证书无法验证' },
  'webhook.removed': { en: 'deleted webhook #{{id}}', 'zh-CN': '已删除 Webhook #{{id}}' },
  'help.care': { en: 'care plans (客户关怀) and their reminders', 'zh-CN': '客户关怀计划及其提醒' },
  'help.care.plans': { en: 'list the care plans with their reminders by status', 'zh-CN': '列出关怀计划及各状态的提醒数' },
  'help.care.add': { en: 'add a care plan from a JSON file (- for standard input), as POST /api/v1/care/plans takes it', 'zh-CN': '从 JSON 文件（- 表示标准输入）添加关怀计划，格式同 POST /api/v1/care/plans' },
  'help.care.update': { en: 'change a care plan from a JSON file (- for standard input) of what changes, as PATCH /api/v1/care/plans/{plan} takes it: name, description, condition, cancel_on, quiet_hours, steps, enabled (not its key or trigger)', 'zh-CN': '按 JSON 文件（- 表示标准输入）修改关怀计划，只写要改的项，格式同 PATCH /api/v1/care/plans/{plan}：name、description、condition、cancel_on、quiet_hours、steps、enabled（标识和触发条件不能改）' },
  'help.care.run': { en: 'run a round of care now: schedule reminders from new triggers, bring due what is due (the server does this every minute)', 'zh-CN': '立即运行一轮关怀：为新的触发安排提醒，并让到时的提醒到期（服务每分钟自动运行）' },
  'help.care.reminders': { en: 'list reminders (by default those due: the to-do list)', 'zh-CN': '列出提醒（默认列出待处理的）' },
  'help.care.done': { en: 'mark a due reminder done', 'zh-CN': '将待处理的提醒标记为已完成' },
  'help.care.dismiss': { en: 'dismiss a reminder, due or still scheduled', 'zh-CN': '忽略一条提醒（待处理或已安排的）' },
  'help.care.snooze': { en: 'put a due reminder off: due again that long from now (outside its plan\'s quiet hours), its message written again then', 'zh-CN': '推迟一条待处理的提醒：从现在起过这段时间再到期（避开计划的免打扰时段），届时重新生成消息' },
  'help.care.enable': { en: 'switch a care plan on: it reacts to what happens from now on', 'zh-CN': '启用关怀计划：从现在起生效' },
  'help.care.disable': { en: 'switch a care plan off: nothing new is scheduled, reminders falling due meanwhile are skipped', 'zh-CN': '停用关怀计划：不再安排新提醒，停用期间到期的提醒会被跳过' },
  'help.care.remove': { en: 'delete a care plan and all its reminders (asks for --yes)', 'zh-CN': '删除关怀计划及其全部提醒（需加 --yes）' },
  'help.arg.carePlan': { en: 'the plan\'s key or name', 'zh-CN': '计划的键或名称' },
  'care.switchedOn': { en: 'The care plan {{name}} ({{key}}) is on; it reacts to what happens from now on.', 'zh-CN': '关怀计划「{{name}}」（{{key}}）已启用，从现在起生效。' },
  'care.switchedOff': { en: 'The care plan {{name}} ({{key}}) is off.', 'zh-CN': '关怀计划「{{name}}」（{{key}}）已停用。' },
  'care.removeAsk': { en: 'deleting the care plan {{name}} takes its {{reminders}} {{reminders:reminder|reminders}} with it and cannot be undone; run it again with --yes to delete', 'zh-CN': '删除关怀计划「{{name}}」会一并删除它的 {{reminders}} 条提醒，且无法撤销；加上 --yes 再运行一次即可删除' },
  'care.removed': { en: 'Deleted the care plan {{name}} and its {{reminders}} {{reminders:reminder|reminders}}.', 'zh-CN': '已删除关怀计划「{{name}}」及其 {{reminders}} 条提醒。' },
  'help.arg.planFile': { en: 'a JSON file describing the plan, or -', 'zh-CN': '描述计划的 JSON 文件，或 -' },
  'help.arg.planChangeFile': { en: 'a JSON file of what changes, or -', 'zh-CN': '写明修改内容的 JSON 文件，或 -' },
  'help.arg.reminder': { en: 'the reminder\'s number (#12 or 12)', 'zh-CN': '提醒编号（#12 或 12）' },
  'help.care.reopen': { en: 'open a reminder marked done or dismissed by mistake again: due again, or scheduled again if it was dismissed before it fell due', 'zh-CN': '重新打开误标为完成或忽略的提醒：恢复为待处理；到期前就被忽略的，恢复为已安排' },
  'help.arg.snoozeFor': { en: 'how long: 1h, 3h, 1d … (at most 366d)', 'zh-CN': '推迟多久：1h、3h、1d……（最多 366d）' },
  'help.option.reminderStatus': { en: 'due, scheduled, done, dismissed or skipped', 'zh-CN': 'due（待处理）、scheduled（已安排）、done（已完成）、dismissed（已忽略）或 skipped（已跳过）' },
  'help.option.carePlan': { en: 'only this plan\'s reminders (key or name)', 'zh-CN': '只看这个计划的提醒（键或名称）' },
  'help.option.careCustomer': { en: 'only this customer\'s reminders', 'zh-CN': '只看这位客户的提醒' },
  'help.option.reminderLimit': { en: 'at most this many (up to 500)', 'zh-CN': '最多列出条数（不超过 500）' },
  'help.option.reminderOffset': { en: 'skip this many first (the next page: the offset the list says)', 'zh-CN': '跳过前面的条数（下一页：用列表末尾给出的数）' },
  'help.option.careActor': { en: 'who acts (recorded on the reminder)', 'zh-CN': '操作人，记在提醒上' },
  'invalid.reminderStatus': { en: 'use due, scheduled, done, dismissed or skipped', 'zh-CN': '可选 due、scheduled、done、dismissed 或 skipped' },
  'care.noPlans': { en: 'No care plans yet: add one with `tagbase care add plan.json` or in the console (客户关怀).', 'zh-CN': '还没有关怀计划：用 `tagbase care add plan.json` 或在控制台「客户关怀」中添加。' },
  'care.noReminders': { en: 'No reminders.', 'zh-CN': '没有提醒。' },
  'care.off': { en: '[off]', 'zh-CN': '[已停用]' },
  'care.counts': { en: 'due {{due}}, scheduled {{scheduled}}, done {{done}}', 'zh-CN': '待处理 {{due}}，已安排 {{scheduled}}，已完成 {{done}}' },
  'care.triggerUnseen': { en: 'none of the latest {{sampled}} events is a {{type}}: the plan schedules nothing until one arrives', 'zh-CN': '最近的 {{sampled}} 条行为中没有 {{type}}：收到之前计划不会安排提醒' },
  'care.condition': { en: 'only if {{condition}}', 'zh-CN': '条件：{{condition}}' },
  'care.cancel': { en: 'cancelled by a later {{type}}', 'zh-CN': '之后发生 {{type}} 时取消' },
  'care.cancelledBy': { en: 'cancelled by a later event: {{type}} at {{at}}', 'zh-CN': '被后续行为取消：{{at}} 的 {{type}}' },
  'care.cancelSame': { en: 'cancelled by a later {{type}} of the same {{property}}', 'zh-CN': '之后发生相同 {{property}} 的 {{type}} 时取消' },
  'care.quietHours': { en: 'nothing falls due {{start}}–{{end}} (moved to {{end}})', 'zh-CN': '免打扰 {{start}}–{{end}}（顺延到 {{end}}）' },
  'care.trigger.event': { en: 'on {{type}}', 'zh-CN': '行为 {{type}}' },
  'care.trigger.eventTime': { en: 'on {{type}}, counted from its {{property}}', 'zh-CN': '行为 {{type}}，从其 {{property}} 起算' },
  'care.trigger.tagAdded': { en: 'on gaining {{tag}}', 'zh-CN': '获得标签 {{tag}}' },
  'care.trigger.tagRemoved': { en: 'on losing {{tag}}', 'zh-CN': '失去标签 {{tag}}' },
  'care.trigger.birthday': { en: '{{days}} {{days:day|days}} before a birthday', 'zh-CN': '生日前 {{days}} 天' },
  'care.step': { en: 'step {{step}}', 'zh-CN': '第 {{step}} 步' },
  'care.more': { en: '… {{first}}–{{last}} of {{total}} {{status}} {{total:reminder|reminders}} shown; the next with --offset {{last}}', 'zh-CN': '…… 共 {{total}} 条 {{status}} 提醒，显示了第 {{first}}–{{last}} 条；下一页加 --offset {{last}}' },
  'care.moreBefore': { en: '… {{first}}–{{last}} of {{total}} {{status}} {{total:reminder|reminders}} shown', 'zh-CN': '…… 共 {{total}} 条 {{status}} 提醒，显示了第 {{first}}–{{last}} 条' },
  'care.pastEnd': { en: 'No reminders from this --offset on: {{total}} {{status}} in all.', 'zh-CN': '这个 --offset 之后没有提醒了：{{status}} 提醒共 {{total}} 条。' },
  'care.added': { en: 'Added the care plan {{name}} ({{key}}); it reacts to what happens from now on.', 'zh-CN': '已添加关怀计划「{{name}}」（{{key}}），从现在起生效。' },
  'care.updated': { en: 'Changed the care plan {{name}} ({{key}}); new steps apply to reminders scheduled from now on.', 'zh-CN': '已修改关怀计划「{{name}}」（{{key}}），新的步骤用于此后安排的提醒。' },
  'care.ran': { en: 'Scheduled {{scheduled}} {{scheduled:reminder|reminders}} ({{late}} {{late:step|steps}} already long past {{late:was|were}} left out); {{due}} fell due, {{skipped}} skipped.', 'zh-CN': '新安排 {{scheduled}} 条提醒（{{late}} 步早已过时，未安排）；到期 {{due}} 条，跳过 {{skipped}} 条。' },
  'care.closedDone': { en: 'Reminder #{{id}} done.', 'zh-CN': '提醒 #{{id}} 已完成。' },
  'care.closedDismissed': { en: 'Reminder #{{id}} dismissed.', 'zh-CN': '提醒 #{{id}} 已忽略。' },
  'care.reopenedDue': { en: 'Reminder #{{id}} reopened: due again.', 'zh-CN': '提醒 #{{id}} 已重新打开，恢复为待处理。' },
  'care.reopenedScheduled': { en: 'Reminder #{{id}} reopened: scheduled again, due at its time.', 'zh-CN': '提醒 #{{id}} 已重新打开，恢复为已安排，到时照常提醒。' },
  'care.snoozed': { en: 'Reminder #{{id}} put off: due again at {{at}}.', 'zh-CN': '提醒 #{{id}} 已推迟，将于 {{at}} 再次到期。' },
  'help.model': {
    en: 'ready-made models kept true in real time: rfm, lifecycle, vip, activity, personas, …',
    'zh-CN': '实时保持准确的现成模型：rfm、lifecycle、vip、activity、personas……',
  },
  'help.model.list': { en: 'every model, ● when enabled', 'zh-CN': '全部模型，已启用的标 ●' },
  'help.model.enable': {
    en: 'enable a model or change its parameters; every customer is tagged before it returns',
    'zh-CN': '启用模型或修改参数；命令返回前每位客户都已打好标签',
  },
  'help.model.refresh': { en: 'recompute the thresholds now (the server does it daily)', 'zh-CN': '立即重新计算阈值（服务每天自动计算）' },
  'help.model.disable': { en: 'turn a model off: its tag is archived, its history kept', 'zh-CN': '停用模型：标签归档，历史保留' },
  'help.template': { en: 'starter tag libraries: general, retail, restaurant, apparel, …', 'zh-CN': '入门标签库模板：general、retail、restaurant、apparel……' },
  'help.template.list': { en: 'the templates, with how many tags each holds', 'zh-CN': '全部模板，以及各自包含的标签数' },
  'help.template.show': { en: 'the groups, tags and values of one template', 'zh-CN': '一个模板的分组、标签和值' },
  'help.template.apply': {
    en: 'create what the workspace lacks; edits already made in the workspace are reported, never overwritten',
    'zh-CN': '创建工作空间缺少的内容；工作空间里已做的修改只报告，从不覆盖',
  },
  'help.doctor': {
    en: 'review the tag library: unused, empty, overlapping and duplicated tags (exit code 4 when it finds something)',
    'zh-CN': '检查标签库：未使用、为空、相互重叠和重复的标签（发现问题时退出码为 4）',
  },
  'help.arg.importKind': { en: 'customers | events | assignments', 'zh-CN': 'customers（客户）| events（事件）| assignments（打标记录）' },
  'help.arg.importFile': {
    en: 'a .csv (with a header row; commas, semicolons or tabs; also .tsv, .txt), .jsonl or .xlsx file; - reads standard input (with --format)',
    'zh-CN': '.csv 文件（带表头行；逗号、分号或制表符分隔，.tsv、.txt 亦可）、.jsonl 文件或 .xlsx 工作簿；- 表示读取标准输入（需加 --format）',
  },
  'help.arg.expression': {
    en: 'a segment expression, e.g. \'city = "上海" and orders_total >= 2\'',
    'zh-CN': '人群表达式，例如 \'city = "上海" and orders_total >= 2\'',
  },
  'help.arg.modelName': { en: 'model key or name, e.g. rfm or 生命周期', 'zh-CN': '模型的键或名称，例如 rfm 或 生命周期' },
  'help.arg.model': { en: 'model key or name', 'zh-CN': '模型的键或名称' },
  'help.arg.templateName': { en: 'template key or name, e.g. restaurant or 餐饮', 'zh-CN': '模板的键或名称，例如 restaurant 或 餐饮' },
  'help.arg.template': { en: 'template key or name', 'zh-CN': '模板的键或名称' },
  'help.option.port': { en: 'port to listen on (default: $PORT or 8080)', 'zh-CN': '监听的端口（默认：$PORT 或 8080）' },
  'help.option.host': { en: 'address to bind (default: $HOST or 127.0.0.1)', 'zh-CN': '绑定的地址（默认：$HOST 或 127.0.0.1）' },
  'help.option.serveDatabase': {
    en: 'SQLite path or postgres:// URL (default: $TAGBASE_DATABASE_URL or ./data/tagbase.db)',
    'zh-CN': 'SQLite 文件路径或 postgres:// URL（默认：$TAGBASE_DATABASE_URL 或 ./data/tagbase.db）',
  },
  'help.option.quiet': { en: 'no request log', 'zh-CN': '不记录请求日志' },
  'help.option.database': { en: 'SQLite path or postgres:// URL', 'zh-CN': 'SQLite 文件路径或 postgres:// URL' },
  'help.option.workspace': { en: 'workspace', 'zh-CN': '工作空间' },
  'help.option.demoWorkspace': { en: 'workspace to fill', 'zh-CN': '要填充的工作空间' },
  'help.option.customers': { en: 'number of customers', 'zh-CN': '客户数' },
  'help.option.eventsPerCustomer': { en: 'average events per customer', 'zh-CN': '平均每位客户的事件数' },
  'help.option.seed': { en: 'random seed (same seed, same store)', 'zh-CN': '随机种子：种子相同，生成的数据就相同' },
  'help.option.importWorkspace': { en: 'workspace to import into', 'zh-CN': '导入到哪个工作空间' },
  'help.option.importFormat': { en: 'csv, jsonl or xlsx (default: from the file name)', 'zh-CN': 'csv、jsonl 或 xlsx（默认：按文件名判断）' },
  'help.option.importColumn': {
    en: 'read a column of the file as one of the importer\'s, FILE_COLUMN=COLUMN (手机号码=phone, 金额=properties.amount); 备注= leaves the column out; repeatable',
    'zh-CN': '把文件中的某列读作导入的某列，写作 文件列=列（手机号码=phone、金额=properties.amount）；备注= 表示不导入该列；可重复',
  },
  'help.option.importSheet': { en: 'the sheet of an .xlsx workbook to read (default: the first)', 'zh-CN': '要读取的 .xlsx 工作表（默认：第一个）' },
  'help.option.importEncoding': { en: 'auto, utf-8, gb18030 (GBK), utf-16le or utf-16be; auto tells from the start of the file', 'zh-CN': 'auto、utf-8、gb18030（GBK）、utf-16le 或 utf-16be；auto 按文件开头判断' },
  'help.option.report': { en: 'where to write rejected rows (default: <file>.rejected.csv)', 'zh-CN': '被拒绝的行写到哪里（默认：<file>.rejected.csv）' },
  'help.option.importBatch': { en: 'rows per transaction', 'zh-CN': '每个事务的行数' },
  'help.option.auditedActor': { en: 'who acts (recorded in the audit trail)', 'zh-CN': '操作人，记入审计日志' },
  'help.option.actor': { en: 'who is importing (recorded in the history)', 'zh-CN': '导入人，记入历史' },
  'help.option.recomputeBatch': { en: 'customers per transaction', 'zh-CN': '每个事务的客户数' },
  'help.option.segment': { en: 'a saved segment instead of an expression', 'zh-CN': '用已保存的人群代替表达式' },
  'help.arg.segment': { en: 'a saved segment, by key or name', 'zh-CN': '已保存的人群（键或名称）' },
  'help.arg.segmentKey': { en: "the segment's key (a saved one's key or name changes that one)", 'zh-CN': '人群的标识（写已保存人群的标识或名称则修改它）' },
  'help.option.exportFormat': { en: 'csv, jsonl or xlsx', 'zh-CN': 'csv、jsonl 或 xlsx' },
  'help.option.exportHeader': {
    en: 'how the CSV header names the columns: keys (id, member_level, spend_365d) or names, in the terminal\'s language (编号, 会员等级, 近365天消费额)',
    'zh-CN': 'CSV 表头如何称呼各列：keys（id、member_level、spend_365d）或 names，用终端的语言（编号、会员等级、近365天消费额）',
  },
  'invalid.xlsxToTerminal': { en: 'a workbook is written to a file: add -o members.xlsx', 'zh-CN': 'Excel 工作簿需写入文件：请加上 -o members.xlsx' },
  'invalid.exportHeader': { en: '--header must be keys or names; got "{{header}}"', 'zh-CN': '--header 只能是 keys 或 names；收到的是“{{header}}”' },
  'help.option.output': { en: 'write to a file (default: standard output)', 'zh-CN': '写到文件（默认：标准输出）' },
  'help.option.metrics': { en: 'comma-separated metrics to add as columns', 'zh-CN': '要加为列的指标，用逗号分隔' },
  'help.option.tagKey': {
    en: "the key of the model's tag, when a tag of the library has the model's key already (only when first enabled)",
    'zh-CN': '模型标签的标识，用于标签库里已有标签占用了模型标识时（仅首次启用时有效）',
  },
  'help.option.param': {
    en: 'a parameter, e.g. window_days=180, recency=median or a list bounds=500,1000 (repeatable)',
    'zh-CN': '一个参数，例如 window_days=180、recency=median，或列表 bounds=500,1000（可重复）',
  },
  'help.option.jaccard': { en: 'overlap threshold, above 0 and at most 1', 'zh-CN': '重叠阈值，大于 0 且不超过 1' },
  'help.option.minMembers': { en: 'only compare tag values held by at least n customers', 'zh-CN': '只比较至少 n 位客户持有的标签值' },
  'help.option.groupBudget': { en: 'most tags per group', 'zh-CN': '每个分组最多的标签数' },
  'help.option.minOwners': { en: 'staff members who made the same personal tag', 'zh-CN': '创建了同一个人标签的员工数' },

  // Values given on the command line that do not fit.
  'invalid.fraction': { en: 'must be a number above 0 and at most 1', 'zh-CN': '必须是大于 0 且不超过 1 的数' },
  'invalid.positiveInteger': { en: 'must be a positive whole number', 'zh-CN': '必须是正整数' },
  'invalid.nonNegativeInteger': { en: 'must be a whole number, 0 or more', 'zh-CN': '必须是 0 或正整数' },
  'invalid.wholeNumberAtLeast': { en: 'must be a whole number of at least {{least}}', 'zh-CN': '必须是不小于 {{least}} 的整数' },
  'invalid.format': { en: '--format must be csv, jsonl or xlsx; got "{{format}}"', 'zh-CN': '--format 只能是 csv、jsonl 或 xlsx；收到的是“{{format}}”' },
  'invalid.xls': {
    en: '"{{path}}" is an old Excel workbook (.xls); save it as .xlsx (Excel Workbook) or as CSV and import that',
    'zh-CN': '“{{path}}”是旧版 Excel 工作簿（.xls）；请另存为 .xlsx（Excel 工作簿）或 CSV 后再导入',
  },
  'invalid.jsonArray': {
    en: '"{{path}}" holds one JSON array; import reads JSON Lines, one object per line (jq -c \'.[]\' {{path}} > rows.jsonl makes them)',
    'zh-CN': '“{{path}}”是一整个 JSON 数组；导入读取的是 JSON Lines，每行一个对象（可用 jq -c \'.[]\' {{path}} > rows.jsonl 转换）',
  },
  'invalid.notXlsx': {
    en: '"{{path}}" is not an Excel workbook (.xlsx) that can be read ({{detail}})',
    'zh-CN': '“{{path}}”不是可以读取的 Excel 工作簿（.xlsx）（{{detail}}）',
  },
  'invalid.sheet': {
    en: 'the workbook has no sheet "{{sheet}}"; its sheets: {{sheets}}',
    'zh-CN': '工作簿中没有名为“{{sheet}}”的工作表；现有工作表：{{sheets}}',
  },
  'invalid.column': {
    en: '--column takes FILE_COLUMN=COLUMN, such as 手机号码=phone (备注= leaves the column out); got "{{mapping}}"',
    'zh-CN': '--column 写作 文件列=列，例如 手机号码=phone（备注= 表示不导入该列）；收到的是“{{mapping}}”',
  },
  'invalid.columnJsonl': {
    en: '--column renames the columns of a CSV file or a workbook; a JSON Lines file holds objects shaped as the API takes them',
    'zh-CN': '--column 用于改名 CSV 文件或工作簿的列；JSON Lines 文件中的对象须与 API 接收的形状相同',
  },
  'invalid.encoding': { en: '--encoding must be auto, utf-8, gb18030, utf-16le or utf-16be; got "{{encoding}}"', 'zh-CN': '--encoding 只能是 auto、utf-8、gb18030、utf-16le 或 utf-16be；收到的是“{{encoding}}”' },
  'invalid.jsonArrayPiped': {
    en: 'standard input holds one JSON array; import reads JSON Lines, one object per line (pipe it through jq -c \'.[]\' first)',
    'zh-CN': '标准输入是一整个 JSON 数组；导入读取的是 JSON Lines，每行一个对象（可先经 jq -c \'.[]\' 转换）',
  },
  'invalid.stdinFormat': {
    en: 'reading standard input (-), say what it holds: --format csv, jsonl or xlsx',
    'zh-CN': '读取标准输入（-）时，请用 --format csv、jsonl 或 xlsx 说明其格式',
  },
  'import.standardInput': { en: 'standard input', 'zh-CN': '标准输入' },
  'invalid.formatUnknown': {
    en: 'cannot tell the format of "{{path}}" from its name; pass --format csv, jsonl or xlsx',
    'zh-CN': '无法从文件名判断“{{path}}”的格式；请加上 --format csv、jsonl 或 xlsx',
  },
  'invalid.port': { en: 'port must be a number from 0 to 65535; got "{{port}}"', 'zh-CN': '端口必须是 0 到 65535 之间的数；收到的是“{{port}}”' },
  'invalid.logLevel': {
    en: 'LOG_LEVEL is one of fatal, error, warn, info, debug, trace or silent; got "{{level}}"',
    'zh-CN': 'LOG_LEVEL 只能是 fatal、error、warn、info、debug、trace 或 silent；收到的是“{{level}}”',
  },
  'serve.portInUse': {
    en: 'another program (another tagbase serve?) is already listening on {{host}} port {{port}}: stop it, or choose another port with --port or PORT',
    'zh-CN': '已有其他程序（另一个 tagbase serve？）在 {{host}} 的端口 {{port}} 上监听：请先停止它，或用 --port 或 PORT 换一个端口',
  },
  'serve.portRefused': {
    en: 'this user may not listen on {{host}} port {{port}} ({{reason}}): choose a port from 1024 up with --port or PORT, or put a reverse proxy in front',
    'zh-CN': '当前用户不能在 {{host}} 的端口 {{port}} 上监听（{{reason}}）：请用 --port 或 PORT 选择 1024 以上的端口，或在前面放一个反向代理',
  },
  'serve.hostUnknown': {
    en: 'cannot listen on {{host}} ({{reason}}): HOST or --host is an address of this machine, such as 127.0.0.1 or 0.0.0.0',
    'zh-CN': '无法在 {{host}} 上监听（{{reason}}）：HOST 或 --host 应是本机的地址，例如 127.0.0.1 或 0.0.0.0',
  },
  'invalid.param': { en: '--param takes NAME=VALUE; got "{{pair}}"', 'zh-CN': '--param 的格式是 NAME=VALUE；收到的是“{{pair}}”' },
  'invalid.expressionAndSegment': {
    en: 'name an expression or a saved segment with --segment, not both',
    'zh-CN': '请给出表达式或用 --segment 指定已保存的人群，不要同时给出',
  },
  'invalid.noExpression': {
    en: 'name an expression, e.g. tagbase segment {{command}} \'city = "上海" and orders_total >= 2\', or a saved segment with --segment',
    'zh-CN': '请给出表达式，例如 tagbase segment {{command}} \'city = "上海" and orders_total >= 2\'，或用 --segment 指定已保存的人群',
  },

  // What the commands report.
  'backup.done': { en: 'backed up {{location}} to {{file}} ({{size}} MiB)', 'zh-CN': '已把 {{location}} 备份到 {{file}}（{{size}} MiB）' },
  'migrate.upToDate': { en: 'schema is up to date ({{dialect}} {{location}})', 'zh-CN': '表结构已是最新（{{dialect}} {{location}}）' },
  'migrate.applied': { en: 'applied {{migrations}} ({{dialect}} {{location}})', 'zh-CN': '已应用 {{migrations}}（{{dialect}} {{location}}）' },
  'import.kind.customers': { en: 'customers', 'zh-CN': '客户' },
  'import.kind.events': { en: 'events', 'zh-CN': '事件' },
  'import.kind.assignments': { en: 'assignments', 'zh-CN': '打标记录' },
  'import.progress': {
    en: 'importing {{kind}} [{bar}] {percentage}% | {rows} rows | {rate} rows/s | {rejected} rejected',
    'zh-CN': '正在导入{{kind}} [{bar}] {percentage}% | {rows} 行 | 每秒 {rate} 行 | 拒绝 {rejected} 行',
  },
  'import.customers': { en: '{{created}} new {{created:customer|customers}}, {{updated}} already here and updated', 'zh-CN': '新增客户 {{created}} 位，更新已有客户 {{updated}} 位' },
  'import.summary': {
    en: '{{file}}: {{rows}} {{rows:row|rows}}, {{accepted}} imported, {{rejected}} rejected in {{seconds}} s ({{rate}} rows/s)',
    'zh-CN': '{{file}}：共 {{rows}} 行，导入 {{accepted}} 行，拒绝 {{rejected}} 行，用时 {{seconds}} 秒（每秒 {{rate}} 行）',
  },
  'import.report': { en: 'rejected rows and reasons: {{path}}', 'zh-CN': '被拒绝的行及原因：{{path}}' },
  'import.earlierReportRemoved': { en: 'nothing rejected: removed the report of an earlier run, {{path}}', 'zh-CN': '没有被拒绝的行：已删除之前导入留下的报告 {{path}}' },
  'import.noRows': { en: 'warning: {{file}} has no rows: nothing was imported', 'zh-CN': '警告：{{file}} 中没有数据行，没有导入任何内容' },
  'import.repeatedId': {
    en: 'warning: customer "{{id}}" is on lines {{lines}}: line {{last}} was imported last, and its values stand',
    'zh-CN': '警告：客户「{{id}}」出现在第 {{lines}} 行：最后导入的是第 {{last}} 行，以它的内容为准',
  },
  'import.repeatedIdsMore': { en: 'warning: and {{count}} more customer {{count:id|ids}} on more than one line', 'zh-CN': '警告：另有 {{count}} 个客户编号出现在多行' },
  'import.leftOutColumns': {
    en: 'left out {{columns}}: an export writes them, an import does not take them (tags are imported as assignments, metrics come from events)',
    'zh-CN': '未导入 {{columns}}：这些是导出文件带的列，导入不读取（标签请用打标记录导入，指标由事件计算）',
  },
  'import.renamedColumns': { en: 'columns read as: {{columns}}', 'zh-CN': '列的对应：{{columns}}' },
  'import.zonelessTimes': {
    en: 'read {{count}} {{count:time|times}} without a zone as the workspace\'s local time ({{zone}})',
    'zh-CN': '{{count}} 个未注明时区的时间已按工作区的本地时间（{{zone}}）读取',
  },
  'import.sheet': { en: 'read sheet "{{sheet}}" ({{position}} of {{count}})', 'zh-CN': '已读取工作表“{{sheet}}”（共 {{count}} 个中的第 {{position}} 个）' },
  'import.titles': { en: 'left out the title rows above the header: {{titles}}', 'zh-CN': '已略过表头上方的标题行：{{titles}}' },
  'import.title': { en: 'row {{row}} "{{text}}"', 'zh-CN': '第 {{row}} 行“{{text}}”' },
  'import.readAsGb18030': { en: 'the file is not UTF-8: read it as GB18030 (GBK)', 'zh-CN': '文件不是 UTF-8 编码：已按 GB18030（GBK）读取' },
  'progress.bar': {
    en: '{{label}} [{bar}] {percentage}% | {value}/{total} | {eta_formatted} left',
    'zh-CN': '{{label}} [{bar}] {percentage}% | {value}/{total} | 还剩 {eta_formatted}',
  },
  'recompute.progress': { en: 'recompute', 'zh-CN': '重新计算' },
  'rulePass.progress': { en: 'applying {{tag}}', 'zh-CN': '正在应用 {{tag}}' },
  'recompute.summary': {
    en: 'recomputed {{customers}} {{customers:customer|customers}} in {{seconds}} s; tags changed for {{changed}}',
    'zh-CN': '已重新计算 {{customers}} 位客户，用时 {{seconds}} 秒；{{changed}} 位客户的标签有变化',
  },
  'tick.summary': {
    en: "{{workspaces}} {{workspaces:workspace|workspaces}}: {{expired}} {{expired:assignment|assignments}} expired, {{refreshed}} {{refreshed:customer's|customers'}} metrics refreshed, tags changed for {{changed}}",
    'zh-CN': '{{workspaces}} 个工作空间：{{expired}} 条打标记录过期，{{refreshed}} 位客户的指标已刷新，{{changed}} 位客户的标签有变化',
  },
  'tick.resumed': {
    en: 'finished rule passes that a stop had cut short: {{tags}}',
    'zh-CN': '已补完被中断的规则标签全量计算：{{tags}}',
  },
  'tick.journal': {
    en: 'applied {{batches}} accepted event {{batches:batch|batches}}, {{events}} {{events:event|events}} stored',
    'zh-CN': '已应用 {{batches}} 个已接收的事件批次，存入 {{events}} 条事件',
  },
  'tick.journalFailed': {
    en: '{{count}} accepted event {{count:batch|batches}} failed to apply and will be tried again (see GET /api/v1/events/journal)',
    'zh-CN': '{{count}} 个已接收的事件批次应用失败，稍后会重试（见 GET /api/v1/events/journal）',
  },
  'tick.segmentSizes': {
    en: "recorded today's size of {{count}} saved {{count:segment|segments}}",
    'zh-CN': '已记录 {{count}} 个已保存人群今天的人数',
  },
  'tick.metricsResumed': {
    en: 'finished a recompute of every customer\'s metrics that a stop had cut short (in {{count}} {{count:workspace|workspaces}})',
    'zh-CN': '已补完被中断的全体客户指标重算（{{count}} 个工作空间）',
  },
  'segment.count': {
    en: '{{count}} of {{population}} {{population:customer|customers}} ({{share}}%), counted in {{duration}}',
    'zh-CN': '{{population}} 位客户中有 {{count}} 位符合（{{share}}%），统计用时 {{duration}}',
  },
  'segment.noSaved': { en: 'no saved segments', 'zh-CN': '没有已保存的人群' },
  'segment.created': { en: 'saved segment "{{name}}" ({{key}}): {{count}} of {{population}} {{population:customer|customers}}', 'zh-CN': '已保存人群「{{name}}」（{{key}}）：{{population}} 位客户中的 {{count}} 位' },
  'segment.updated': { en: 'changed segment "{{name}}" ({{key}}): {{count}} of {{population}} {{population:customer|customers}}', 'zh-CN': '已修改人群「{{name}}」（{{key}}）：{{population}} 位客户中的 {{count}} 位' },
  'segment.deleted': { en: 'deleted segment "{{name}}" ({{key}}) and its snapshots', 'zh-CN': '已删除人群「{{name}}」（{{key}}）及其快照' },
  'segment.sizesHeading': { en: '{{segment}}: size over the last {{days}} days', 'zh-CN': '{{segment}}：近 {{days}} 天人数' },
  'segment.sizeCountedNow': { en: '(counted now, recorded later today)', 'zh-CN': '（现在统计，今天稍后记录）' },
  'segment.exportProgress': { en: 'export', 'zh-CN': '导出' },
  'segment.exported': { en: '{{count}} {{count:customer|customers}} written to {{file}}', 'zh-CN': '已把 {{count}} 位客户写入 {{file}}' },
  'model.enabled': { en: 'enabled', 'zh-CN': '已启用' },
  'model.notEnabled': { en: 'not enabled', 'zh-CN': '未启用' },
  'model.heading': { en: '{{name}} ({{english}}, {{key}}): {{state}}', 'zh-CN': '{{name}}（{{english}}, {{key}}）：{{state}}' },
  'model.named': { en: '{{name}} ({{english}})', 'zh-CN': '{{name}}（{{english}}）' },
  'model.params': { en: '  params: {{params}}', 'zh-CN': '  参数：{{params}}' },
  'model.tag': { en: '  its tag: {{tag}}', 'zh-CN': '  它的标签：{{tag}}' },
  'model.thresholds': {
    en: '  thresholds ({{customers}} {{customers:customer|customers}}, {{computedAt}}): R ≤ {{recency}} days · F ≥ {{frequency}} · M ≥ {{monetary}}',
    'zh-CN': '  阈值（{{customers}} 位客户，{{computedAt}}）：R ≤ {{recency}} 天 · F ≥ {{frequency}} · M ≥ {{monetary}}',
  },
  'model.disabled': { en: 'model "{{name}}" is off; its tag is archived and its history kept', 'zh-CN': '模型“{{name}}”已停用；它的标签已归档，历史保留' },
  'template.listLine': {
    en: '{{key}} {{english}} ({{name}})  {{tags}} — {{description}}',
    'zh-CN': '{{key}} {{name}}（{{english}}）  {{tags}} — {{description}}',
  },
  'template.tagCount': { en: '{{count}} {{count:tag|tags}}', 'zh-CN': '{{count}} 个标签' },
  'template.tagLine': { en: '  {{name}} ({{key}}; {{traits}}): {{values}}', 'zh-CN': '  {{name}}（{{key}}；{{traits}}）：{{values}}' },
  'template.separator': { en: ', ', 'zh-CN': '，' },
  'template.kind.manual': { en: 'manual', 'zh-CN': '手动' },
  'template.kind.rule': { en: 'rule', 'zh-CN': '规则' },
  'template.kind.model': { en: 'model', 'zh-CN': '模型' },
  'template.multi': { en: 'multi', 'zh-CN': '多选' },
  'template.single': { en: 'single', 'zh-CN': '单选' },
  'template.ordered': { en: 'ordered', 'zh-CN': '有序' },
  'template.expires': { en: 'expires after {{days}} days', 'zh-CN': '{{days}} 天后过期' },
  'template.applied': {
    en: 'template {{template}} → workspace {{workspace}}: created {{groups}} {{groups:group|groups}}, {{tags}} {{tags:tag|tags}}, {{values}} {{values:value|values}}; {{keptGroups}} {{keptGroups:group|groups}} and {{keptTags}} {{keptTags:tag|tags}} already in place',
    'zh-CN': '模板 {{template}} → 工作空间 {{workspace}}：新建 {{groups}} 个分组、{{tags}} 个标签、{{values}} 个值；{{keptGroups}} 个分组和 {{keptTags}} 个标签已存在',
  },
  'template.conflicts': { en: '{{count}} {{count:conflict|conflicts}}, left as they are in the workspace:', 'zh-CN': '{{count}} 处冲突，保留工作空间中的现状：' },
  'doctor.unusedTag': { en: 'unused tag: {{name}} ({{tag}}) — no customer holds it', 'zh-CN': '未使用的标签：{{name}}（{{tag}}）— 没有客户持有' },
  'doctor.emptyValue': { en: 'empty value: {{name}}: {{valueName}} ({{tag}}.{{value}}) — {{why}}', 'zh-CN': '空的标签值：{{name}}：{{valueName}}（{{tag}}.{{value}}）— {{why}}' },
  'doctor.neverMatches': { en: 'its condition never matches', 'zh-CN': '它的条件从未满足' },
  'doctor.noHolder': { en: 'no customer holds it', 'zh-CN': '没有客户持有' },
  'doctor.unusedModelTag': { en: 'unused tag: {{name}} ({{tag}}) — {{why}}', 'zh-CN': '未使用的标签：{{name}}（{{tag}}）— {{why}}' },
  'doctor.modelGivesNobody': {
    en: 'the {{tag}} model gives it to nobody with its parameters now; change them with tagbase model enable {{tag}} -p name=value, or disable the model',
    'zh-CN': '模型 {{tag}} 按现在的参数没有给任何客户；用 tagbase model enable {{tag}} -p 参数=值 调整参数，或停用这个模型',
  },
  'doctor.noCustomers': {
    en: 'the workspace has no customers yet, so no tag is reported as unused; import them with tagbase import customers FILE',
    'zh-CN': '工作空间还没有客户，因此不报告未使用的标签；用 tagbase import customers 文件 导入客户',
  },
  'doctor.valueName': { en: '{{name}}: {{valueName}}', 'zh-CN': '{{name}}：{{valueName}}' },
  'doctor.overlapping': {
    en: 'overlapping values: {{first}} ({{firstTag}}, {{firstCustomers}} {{firstCustomers:customer|customers}}) and {{second}} ({{secondTag}}, {{secondCustomers}} {{secondCustomers:customer|customers}}) share {{shared}} — Jaccard {{jaccard}}',
    'zh-CN': '相互重叠的标签值：{{first}}（{{firstTag}}，{{firstCustomers}} 位客户）与 {{second}}（{{secondTag}}，{{secondCustomers}} 位客户）共有 {{shared}} 位 — Jaccard {{jaccard}}',
  },
  'doctor.archivedReads': {
    en: 'rule reads archived tags: {{name}} ({{tag}}) reads {{archived}} in {{count:value|values}} {{values}} — it has stopped running',
    'zh-CN': '规则读取已归档的标签：{{name}}（{{tag}}）的 {{count}} 个值 {{values}} 读取了 {{archived}} — 它已停止运行',
  },
  'doctor.crowdedGroup': {
    en: 'crowded group: {{name}} ({{group}}) holds {{tags}} {{tags:tag|tags}}, over the budget of {{budget}}',
    'zh-CN': '标签过多的分组：{{name}}（{{group}}）有 {{tags}} 个标签，超过上限 {{budget}}',
  },
  'doctor.promotion': {
    en: 'promotion candidate: {{count}} staff made personal tags {{names}} ({{owners}}){{existing}}',
    'zh-CN': '可升级为企业标签：{{count}} 位员工创建了个人标签 {{names}}（{{owners}}）{{existing}}',
  },
  'doctor.enterpriseExists': { en: '; the enterprise tag {{tag}} already exists', 'zh-CN': '；企业标签 {{tag}} 已存在' },
  'doctor.clean': { en: 'workspace {{workspace}}: the tag library is clean', 'zh-CN': '工作空间 {{workspace}}：标签库很整洁' },
  'doctor.findings': { en: 'workspace {{workspace}}: {{findings}} {{findings:finding|findings}}', 'zh-CN': '工作空间 {{workspace}}：发现 {{findings}} 个问题' },
  'demo.progress': { en: 'demo customers and events', 'zh-CN': '演示客户与事件' },
  'demo.summary': {
    en: 'demo workspace "{{workspace}}": {{customers}} {{customers:customer|customers}}, {{events}} {{events:event|events}}, {{assignments}} new tag {{assignments:assignment|assignments}} in {{seconds}} s',
    'zh-CN': '演示工作空间“{{workspace}}”：{{customers}} 位客户，{{events}} 个事件，新增 {{assignments}} 条打标记录，用时 {{seconds}} 秒',
  },
  'serve.listening': {
    en: 'tagbase is listening on {{address}} (store: {{dialect}} {{location}})',
    'zh-CN': 'tagbase 正在监听 {{address}}（存储：{{dialect}} {{location}}）',
  },
  'serve.console': { en: '  console: {{address}}/', 'zh-CN': '  控制台：{{address}}/' },
  'serve.apiDocs': { en: '  API docs: {{address}}/api/v1/docs', 'zh-CN': '  API 文档：{{address}}/api/v1/docs' },
  'serve.buildingConsole': {
    en: '  building the web console in the background ({{why}}; `npm run build:web` rebuilds it)',
    'zh-CN': '  正在后台构建控制台（{{why}}；`npm run build:web` 可重新构建）',
  },
  'serve.consoleStale': { en: 'its sources changed since web/dist was built', 'zh-CN': 'web/dist 构建之后源码有改动' },
  'serve.consoleMissing': { en: 'web/dist is missing', 'zh-CN': '没有 web/dist' },

  // commander's own error lines, as commander words them in English: the Chinese line is
  // filled from what the English pattern matched (see commander-locale.ts).
  'commander.unknownOption': { en: "error: unknown option '{{option}}'", 'zh-CN': '错误：未知选项 {{option}}' },
  'commander.unknownCommand': { en: "error: unknown command '{{command}}'", 'zh-CN': '错误：未知命令 {{command}}' },
  'commander.missingArgument': { en: "error: missing required argument '{{argument}}'", 'zh-CN': '错误：缺少必需的参数 {{argument}}' },
  'commander.optionMissingArgument': { en: "error: option '{{option}}' argument missing", 'zh-CN': '错误：选项 {{option}} 缺少取值' },
  'commander.invalidOptionArgument': {
    en: "error: option '{{option}}' argument '{{value}}' is invalid. {{reason}}",
    'zh-CN': '错误：选项 {{option}} 的取值“{{value}}”无效：{{reason}}',
  },
  'commander.missingMandatoryOption': { en: "error: required option '{{option}}' not specified", 'zh-CN': '错误：缺少必需的选项 {{option}}' },
  'commander.invalidArgument': {
    en: "error: command-argument value '{{value}}' is invalid for argument '{{argument}}'. {{reason}}",
    'zh-CN': '错误：参数 {{argument}} 的取值“{{value}}”无效：{{reason}}',
  },
  'commander.excessArguments': {
    en: "error: too many arguments for '{{command}}'. Expected {{expected}} arguments but got {{received}}.",
    'zh-CN': '错误：{{command}} 的参数太多：应有 {{expected}} 个，收到 {{received}} 个。',
  },
  'commander.excessArgument': {
    en: "error: too many arguments for '{{command}}'. Expected {{expected}} argument but got {{received}}.",
    'zh-CN': '错误：{{command}} 的参数太多：应有 {{expected}} 个，收到 {{received}} 个。',
  },
  'commander.suggestMany': { en: '(Did you mean one of {{suggestions}}?)', 'zh-CN': '（是不是要用 {{suggestions}} 之一？）' },
  'commander.suggestOne': { en: '(Did you mean {{suggestion}}?)', 'zh-CN': '（是不是要用 {{suggestion}}？）' },
  'help.title.usage': { en: 'Usage:', 'zh-CN': '用法:' },
  'help.title.arguments': { en: 'Arguments:', 'zh-CN': '参数:' },
  'help.title.options': { en: 'Options:', 'zh-CN': '选项:' },
  'help.title.globalOptions': { en: 'Global Options:', 'zh-CN': '全局选项:' },
  'help.title.commands': { en: 'Commands:', 'zh-CN': '命令:' },
  'help.default': { en: '(default: {{value}})', 'zh-CN': '（默认：{{value}}）' },
});

export type MessageKey = keyof typeof CLI_MESSAGES;

/** The names of the `{{…}}` parameters in a message text, as a union of string literals. */
export type ParamsOf<Text extends string> = Text extends `${string}{{${infer Marker}}}${infer Rest}` ? (Marker extends `${infer Name}:${string}` ? Name : Marker) | ParamsOf<Rest> : never;

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

/**
 * A table where every entry has both languages (the constraint) and the same parameters in
 * both (the intersection): an entry whose Chinese text drops or renames a parameter does not
 * compile, and the error points at it.
 */
function messageTable<const Table extends Record<string, Record<Locale, string>>>(
  table: Table & { [Key in keyof Table]: Same<ParamsOf<Table[Key]['en']>, ParamsOf<Table[Key]['zh-CN']>> extends true ? unknown : { 'zh-CN': never } },
): Table {
  return table;
}

export type MessageParams<Key extends MessageKey> = Record<ParamsOf<(typeof CLI_MESSAGES)[Key]['en']>, string | number>;

/** A message's parameters, or none at all for a message without any. */
type MessageArgs<Key extends MessageKey> = [ParamsOf<(typeof CLI_MESSAGES)[Key]['en']>] extends [never] ? [] : [params: MessageParams<Key>];

export type Say = <Key extends MessageKey>(key: Key, ...args: MessageArgs<Key>) => string;

/** The CLI's messages in `locale`; the one the locale settings ask for when not given. */
export function cliMessages(locale: Locale = cliLocale()): Say {
  return (key, ...args) => fillMessage(CLI_MESSAGES[key][locale], args[0] ?? {}, locale);
}

const PARAMETER = /\{\{(\w+)(?::([^|{}]*)\|([^{}]*))?\}\}/g;

/**
 * Fills every `{{name}}` and `{{name:one|other}}` in one pass, so a value that itself holds
 * braces stays as it is.
 */
export function fillMessage(text: string, params: Readonly<Record<string, string | number>>, locale: Locale = 'en'): string {
  const numbers = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const plurals = new Intl.PluralRules(locale);
  return text.replace(PARAMETER, (marker, name: string, one: string | undefined, other: string | undefined) => {
    if (!(name in params)) return marker;
    const value = params[name];
    if (one !== undefined && other !== undefined) return plurals.select(Number(value)) === 'one' ? one : other;
    return typeof value === 'number' && Number.isFinite(value) ? numbers.format(value) : String(value);
  });
}

/** The parameter names a text uses, for checking the table at run time too. */
export function messageParameters(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(PARAMETER), (match) => match[1] ?? ''))].sort();
}
