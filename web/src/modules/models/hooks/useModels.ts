// The workspace's models with their parameters, thresholds and generated values.
import { useApiQuery } from '../../app/hooks/useApiQuery';

export interface ModelJson {
  key: string;
  name: string;
  english: string;
  description: string;
  /** The description in Chinese. */
  description_zh: string;
  enabled: boolean;
  /** The key of the model's tag while enabled (the model's own unless it was given another). */
  tag_key: string | null;
  params: Record<string, unknown>;
  thresholds: ({ recency: number; frequency: number; monetary: number; customers: number; computed_at: string } & Record<string, unknown>) | null;
  /** When the thresholds were last computed and no customer had a paid order in the window (those in force, if any, are kept from before). */
  no_buyers_at: string | null;
  values: { key: string; name: string; english: string; condition: string }[];
}

/** `wanted` false reads nothing (a page that needs the models only in English). */
export function useModels(wanted = true) {
  const query = useApiQuery<{ items: ModelJson[] }>(wanted ? '/models' : null);
  return { models: query.data?.items ?? [], loading: query.loading, error: query.error, reload: query.reload };
}
