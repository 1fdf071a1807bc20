// `tagbase doctor`: the store's checks, then the governance report as one line per finding, or with
// --json as `GET /api/v1/governance` answers it. Exits 4 when it found something, either way, so a
// scheduled job or CI step can notice a library that needs tidying; 6 when a check of the store failed.
import { isTagbaseError } from '../core/errors.js';
import type { Locale } from '../core/locale.js';
import { englishTagName, englishValueName, type CatalogModel } from '../core/models/model-words.js';
import { systemClock } from '../core/time.js';
import { governanceReport, governanceReportToJson, type GovernanceOptions, type GovernanceReport } from '../engine/governance.js';
import { DEFAULT_WORKSPACE, ensureDefaultWorkspace, openWorkspace } from '../engine/workspaces.js';
import { indexAudience } from '../index/audience.js';
import { IndexRegistry } from '../index/registry.js';
import { checkStore, unreachableStore, type StoreCheck } from '../store/checks.js';
import { isPostgresUrl, openStore, withoutPassword, type Store } from '../store/connect.js';
import { unfinishedCopy, unfinishedCopyError } from '../store/copy.js';
import { catalogWords } from './customer.js';
import { formatStoreChecks, storeChecksPassed, storeChecksToJson } from './doctor-store.js';
import { cliLocale } from './errors.js';
import { cliMessages } from './messages.js';
import { existingStoreUrl, indexSnapshotsOn } from './store-options.js';

export const DOCTOR_FINDINGS_EXIT_CODE = 4;

/**
 * `workspace`: the one reviewed, named in the commands a line advises when it is not the default.
 * `models` (given for an English reader): a model's tag and its values read in the catalog's
 * English words, as the console's governance report names them; other names read as written.
 */
export function formatGovernanceReport(report: GovernanceReport, locale?: Locale, workspace: string = DEFAULT_WORKSPACE, models: readonly CatalogModel[] = []): string[] {
  const say = cliMessages(locale);
  const lines: string[] = [];
  const tagName = (tag: { name: string; kind?: string }) => englishTagName(tag, models);
  const named = <T extends { name: string; valueName: string; kind?: string }>(value: T): T => ({ ...value, name: tagName(value), valueName: englishValueName(value, { name: value.valueName }, models) });
  // Said once, where each tag would otherwise be listed as unused.
  if (report.customers === 0) lines.push(say('doctor.noCustomers'));
  // A model's tag is set by its model alone: what to change is the model's parameters, not the tag.
  const byModel = (tag: string) => say('doctor.modelGivesNobody', { tag });
  for (const tag of report.unusedTags) lines.push(tag.kind === 'model' ? say('doctor.unusedModelTag', { name: tagName(tag), tag: tag.tag, why: byModel(tag.model ?? tag.tag) }) : say('doctor.unusedTag', { name: tag.name, tag: tag.tag }));
  for (const stored of report.emptyValues) {
    const value = named(stored);
    const why = value.kind === 'model' ? byModel(value.model ?? value.tag) : value.kind === 'rule' ? say('doctor.neverMatches') : say('doctor.noHolder');
    lines.push(say('doctor.emptyValue', { name: value.name, valueName: value.valueName, tag: value.tag, value: value.value, why }));
  }
  for (const pair of report.overlappingTags) {
    lines.push(
      say('doctor.overlapping', {
        first: say('doctor.valueName', named(pair.first)),
        firstTag: `${pair.first.tag}.${pair.first.value}`,
        firstCustomers: pair.first.customers,
        second: say('doctor.valueName', named(pair.second)),
        secondTag: `${pair.second.tag}.${pair.second.value}`,
        secondCustomers: pair.second.customers,
        shared: pair.shared,
        jaccard: pair.jaccard.toFixed(3),
      }),
    );
  }
  for (const rule of report.rulesReadingArchivedTags) {
    lines.push(say('doctor.archivedReads', { name: rule.name, tag: rule.tag, archived: rule.archivedTags, count: rule.values.length, values: rule.values }));
  }
  for (const group of report.crowdedGroups) lines.push(say('doctor.crowdedGroup', { name: group.name, group: group.group, tags: group.tags, budget: group.budget }));
  // Names as stored, a model's tag's too: the finding is that they read as one as written.
  for (const duplicate of report.duplicateTags) {
    const tags = duplicate.tags.map((tag) => say('doctor.duplicateTag', { name: tag.name, tag: tag.tag, group: tag.group === null ? '' : say('doctor.inGroup', { group: tag.group }) }));
    lines.push(say('doctor.duplicateTags', { tags }));
  }
  for (const candidate of report.promotionCandidates) {
    const existing = candidate.enterpriseTag === null ? '' : say('doctor.enterpriseExists', { tag: candidate.enterpriseTag });
    const names = candidate.names.map((name) => `「${name}」`).join(' ');
    lines.push(say('doctor.promotion', { count: candidate.owners.length, names, owners: candidate.owners, existing }));
  }
  // A merge cannot be undone: the command it advises names the workspace, so it cannot join two records of another.
  const inWorkspace = workspace === DEFAULT_WORKSPACE ? '' : ` -w ${workspace}`;
  for (const pair of report.samePhoneTwoWays) lines.push(say('doctor.samePhoneTwoWays', { ...pair, workspace: inWorkspace }));
  return lines;
}

/**
 * The store's checks first, on the store as it is (nothing migrated, nothing written), then, when
 * they pass, the library's review. With `json`, `output` is the report as `GET /api/v1/governance`
 * answers it, without the summary line, with the store's checks under `store` (alone when they failed).
 */
export async function runDoctor(options: { workspace: string; database?: string | undefined; thresholds: Partial<GovernanceOptions>; locale?: Locale | undefined; json?: boolean | undefined }): Promise<{ output: string; findings: number; storePassed: boolean }> {
  const say = cliMessages(options.locale);
  const locale = options.locale ?? cliLocale();
  const url = existingStoreUrl(options.database);
  let store: Store | undefined;
  let checks: StoreCheck[];
  try {
    store = await openStore(url);
    checks = await checkStore(store);
  } catch (error) {
    await store?.close();
    // Opening refused the store (a SQLite file damaged at its start): that is the first check's answer.
    const postgres = isPostgresUrl(url);
    checks = unreachableStore(postgres ? 'postgres' : 'sqlite', postgres ? withoutPassword(url) : url.replace(/^sqlite:/, ''), error);
    store = undefined;
  }
  const storeLines = formatStoreChecks(checks, locale);
  if (store === undefined || !storeChecksPassed(checks)) {
    await store?.close();
    const output = options.json ? JSON.stringify({ store: storeChecksToJson(checks, locale) }, null, 2) : [...storeLines, say('doctor.store.libraryNotReviewed')].join('\n');
    return { output, findings: 0, storePassed: false };
  }
  try {
    // As every command opening the store does (openMigratedStore), once its schema is known to be
    // current; but, as a command that only reads, nothing is made in a store a copy did not finish
    // (the next copy would empty it), and a workspace the copy did not bring is said as missing for that.
    const unfinished = await unfinishedCopy(store);
    if (unfinished === undefined) await ensureDefaultWorkspace(store, systemClock);
    const opened = store;
    const context = await openWorkspace(store, options.workspace, 'doctor', systemClock).catch((error: unknown) => {
      throw unfinished !== undefined && isTagbaseError(error) && error.code === 'WORKSPACE_NOT_FOUND' ? unfinishedCopyError(opened.location, unfinished) : error;
    });
    // Who holds which tags from the index: counting millions of assignments in SQL took minutes.
    const membership = await indexAudience(new IndexRegistry(store, { snapshots: indexSnapshotsOn() })).tagMembership(context);
    const report = await governanceReport(context, options.thresholds, membership);
    if (options.json) return { output: JSON.stringify({ ...governanceReportToJson(report), store: storeChecksToJson(checks, locale) }, null, 2), findings: report.findings, storePassed: true };
    const lines = formatGovernanceReport(report, options.locale, options.workspace, await catalogWords(context, locale));
    const summary = report.findings === 0 ? say('doctor.clean', { workspace: options.workspace }) : say('doctor.findings', { workspace: options.workspace, findings: report.findings });
    return { output: [...storeLines, ...lines, summary].join('\n'), findings: report.findings, storePassed: true };
  } finally {
    await store.close();
  }
}
