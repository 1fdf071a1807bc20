// `tagbase model list|enable|refresh|disable`: the ready-made models from the terminal.
import { systemClock } from '../core/time.js';
import type { WorkspaceContext } from '../engine/context.js';
import { configureModel, disableModel, listModels, refreshModel, type ModelJson } from '../engine/models.js';
import { openWorkspace } from '../engine/workspaces.js';
import { openMigratedStore } from './store-options.js';

export interface ModelCommandOptions {
  workspace: string;
  database?: string | undefined;
}

async function inWorkspace<T>(options: ModelCommandOptions, body: (context: WorkspaceContext) => Promise<T>): Promise<T> {
  const store = await openMigratedStore(options.database);
  try {
    return await body(await openWorkspace(store, options.workspace, 'model', systemClock));
  } finally {
    await store.close();
  }
}

/** `window_days=180`, `recency=median`, `bounds=[500,1000]`: JSON when it parses, text otherwise. */
export function parseModelParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const split = pair.indexOf('=');
    if (split <= 0) throw new Error(`--param takes NAME=VALUE; got "${pair}"`);
    const text = pair.slice(split + 1);
    let value: unknown = text;
    try {
      value = JSON.parse(text);
    } catch {
      // Not JSON: a word such as median or 杭州.
    }
    params[pair.slice(0, split)] = value;
  }
  return params;
}

function describe(model: ModelJson): string {
  const lines = [`${model.name}（${model.english}, ${model.key}）: ${model.enabled ? 'enabled' : 'not enabled'}`, `  params: ${JSON.stringify(model.params)}`];
  if (model.thresholds) lines.push(`  thresholds (${model.thresholds.customers} customers, ${model.thresholds.computed_at}): R ≤ ${model.thresholds.recency} days · F ≥ ${model.thresholds.frequency} · M ≥ ${model.thresholds.monetary}`);
  for (const value of model.values) lines.push(`  ${value.name} (${value.english}) ⇐ ${value.condition}`);
  return lines.join('\n');
}

export function listModelsCommand(options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) =>
    (await listModels(context)).map((model) => `${model.enabled ? '●' : '○'} ${model.key.padEnd(15)} ${model.name}（${model.english}）`).join('\n'),
  );
}

export function enableModelCommand(name: string, pairs: readonly string[], options: ModelCommandOptions): Promise<string> {
  const params = parseModelParams(pairs);
  return inWorkspace(options, async (context) => describe(await configureModel(context, name, params)));
}

export function refreshModelCommand(name: string, options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) => describe(await refreshModel(context, name)));
}

export function disableModelCommand(name: string, options: ModelCommandOptions): Promise<string> {
  return inWorkspace(options, async (context) => {
    await disableModel(context, name);
    return `model "${name}" is off; its tag is archived and its history kept`;
  });
}
