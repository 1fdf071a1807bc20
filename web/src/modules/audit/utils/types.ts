// The audit trail as the server answers it.
export interface AuditEntry {
  id: number;
  at: string;
  actor: string | null;
  source: 'api' | 'cli' | 'system';
  action: string;
  /** The action in words, in the console's language. */
  summary: string;
  target: string;
  /** The HTTP answer; 403 is a refused attempt, null a command run on the server. */
  status: number | null;
}

export interface AuditPage {
  items: AuditEntry[];
  next_before: number | null;
}
