import { useApiQuery } from '../../app/hooks/useApiQuery';
import type { CustomValue } from '../utils/customFieldText';

export interface PortraitTag {
  tag: string;
  tag_name: string;
  value: string;
  value_name: string;
  label: string;
  color: string | null;
  kind: string;
  source: string;
  actor: string;
  assigned_at: string;
  expires_at: string | null;
  explanation?: string;
  /** `explanation` in English. */
  explanation_en?: string;
}

export interface Portrait {
  id: string;
  name: string | null;
  type: string | null;
  gender: string | null;
  birthday: string | null;
  city: string | null;
  region: string | null;
  occupation: string | null;
  member_level: string | null;
  source_channel: string | null;
  first_seen_at: string | null;
  /** 随机分组号, 0-99; absent from a server older than the console. */
  random_bucket?: number;
  /** Whether the customer holds an identity of the channel's kinds; absent from a server older than the console. */
  has_phone?: boolean;
  has_email?: boolean;
  has_wechat?: boolean;
  has_member_card?: boolean;
  /** The custom fields the customer has a value for, by key, as the API gives them. */
  custom: Record<string, CustomValue>;
  identities: { kind: string; value: string }[];
  tags: PortraitTag[];
  metrics: { key: string; name: string; name_en: string | null; type: string; value: number | string | null }[];
  recent_events: { id: string; type: string; occurred_at: string; properties: Record<string, unknown> }[];
  recent_history: { action: string; label: string; source: string; actor: string; at: string; merged_from: string | null }[];
}

export function usePortrait(id: string) {
  return useApiQuery<Portrait>(`/customers/${encodeURIComponent(id)}?events=30&history=30`);
}
