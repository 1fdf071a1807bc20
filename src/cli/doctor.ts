// `tagbase doctor`: the governance report as one line per finding. Exits 4 when it found
// something, so a scheduled job or CI step can notice a library that needs tidying.
import { systemClock } from '../core/time.js';
import { governanceReport, type GovernanceOptions, type GovernanceReport } from '../engine/governance.js';
import { openWorkspace } from '../engine/workspaces.js';
import { openMigratedStore } from './store-options.js';

export const DOCTOR_FINDINGS_EXIT_CODE = 4;

export function formatGovernanceReport(report: GovernanceReport): string[] {
  const lines: string[] = [];
  for (const tag of report.unusedTags) lines.push(`unused tag: ${tag.name} (${tag.tag}) — no customer holds it`);
  for (const value of report.emptyValues) {
    lines.push(`empty value: ${value.name}: ${value.valueName} (${value.tag}.${value.value}) — ${value.kind === 'rule' ? 'its condition never matches' : 'no customer holds it'}`);
  }
  for (const pair of report.overlappingTags) {
    lines.push(
      `overlapping tags: ${pair.first.name} (${pair.first.tag}, ${pair.first.customers} customers) and ${pair.second.name} (${pair.second.tag}, ${pair.second.customers} customers) share ${pair.shared} — Jaccard ${pair.jaccard.toFixed(3)}`,
    );
  }
  for (const rule of report.rulesReadingArchivedTags) {
    lines.push(`rule reads archived tags: ${rule.name} (${rule.tag}) reads ${rule.archivedTags.join(', ')} in value(s) ${rule.values.join(', ')} — it has stopped running`);
  }
  for (const group of report.crowdedGroups) lines.push(`crowded group: ${group.name} (${group.group}) holds ${group.tags} tags, over the budget of ${group.budget}`);
  for (const candidate of report.promotionCandidates) {
    const existing = candidate.enterpriseTag === null ? '' : `; the enterprise tag ${candidate.enterpriseTag} already exists`;
    lines.push(`promotion candidate: ${candidate.owners.length} staff made personal tags ${candidate.names.map((name) => `「${name}」`).join(' ')} (${candidate.owners.join(', ')})${existing}`);
  }
  return lines;
}

export async function runDoctor(options: { workspace: string; database?: string | undefined; thresholds: Partial<GovernanceOptions> }): Promise<{ output: string; findings: number }> {
  const store = await openMigratedStore(options.database);
  try {
    const context = await openWorkspace(store, options.workspace, 'doctor', systemClock);
    const report = await governanceReport(context, options.thresholds);
    const lines = formatGovernanceReport(report);
    const summary = report.findings === 0 ? `workspace ${options.workspace}: the tag library is clean` : `workspace ${options.workspace}: ${report.findings} finding(s)`;
    return { output: [...lines, summary].join('\n'), findings: report.findings };
  } finally {
    await store.close();
  }
}
