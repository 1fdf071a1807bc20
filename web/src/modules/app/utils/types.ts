// The shapes of the API answers the console reads (see docs/api.md).
export interface TagValueJson {
  key: string;
  name: string;
  color: string | null;
  customers: number;
  condition?: string | null;
  description?: string | null;
}

export interface TagJson {
  key: string;
  name: string;
  color: string | null;
  group: string | null;
  kind: 'manual' | 'rule' | 'model';
  /** For a model's tag, the model that sets it. */
  model?: string | null;
  cardinality: 'single' | 'multi';
  scope: string;
  status: string;
  customers: number;
  ordered?: boolean;
  default_expiry_days?: number | null;
  description?: string | null;
  values: TagValueJson[];
  /** A rule's pass over everyone that is still going on after its save answered. */
  rule_pass?: { done: number; total: number; started_at: string; updated_at: string } | null;
}

export interface TagGroupJson {
  key: string;
  name: string;
  sort_order: number;
}

export interface HistoryJson {
  action: string;
  label: string;
  source: string;
  actor: string;
  at: string;
  customer_id?: string;
  customer_name?: string | null;
  /** Of a copy of a value a merge dropped: the id of the record merged in. */
  merged_from?: string | null;
}

export interface CountJson {
  count: number;
  population: number;
  took_ms: number;
}

export interface PreviewRow {
  id: string;
  name: string | null;
  city: string | null;
  member_level: string | null;
  phone: string | null;
  tags: string[];
}

export interface PreviewJson {
  total: number;
  items: PreviewRow[];
}

export type Role = 'admin' | 'operator' | 'viewer';
export type Permission = 'read' | 'write' | 'export' | 'admin';

/** Who the console acts as and what they may do (GET /session). */
export interface AccessJson {
  auth_required: boolean;
  authenticated: boolean;
  name: string | null;
  role: Role | null;
  permissions: Permission[];
  /** Whether phone numbers and other identifiers arrive whole or masked. */
  personal_data: 'full' | 'masked';
  /** The workspaces a limited token acts in; null for every workspace. */
  workspaces: string[] | null;
}

/** A metric's formula as `GET /metrics` gives it: the fields the console reads of each kind. */
export interface MetricFormulaJson {
  key: string;
  formula: { kind: string; aggregation?: string; numerator?: string; denominator?: string };
}
