// Schemas shared by several route plugins.
import { z } from 'zod';
import { isValidTimestamp, parseTimestamp } from '../../core/time.js';
import { optionalStrings, withShortcut } from '../shortcuts.js';

export const workspaceHeaders = withShortcut(
  z.object({
    'x-tagbase-workspace': z.string().optional().describe('Workspace key; "default" when absent'),
    'x-tagbase-actor': z.string().optional().describe('Acting staff member (percent-encode non-ASCII); owner of personal tags'),
  }),
  optionalStrings(['x-tagbase-workspace', 'x-tagbase-actor']),
);

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
});

export const isoTime = z.string().refine(isValidTimestamp, 'an ISO 8601 time like 2026-01-31T08:00:00Z');

/** An optional ISO time as epoch ms: undefined stays undefined, null stays null. */
export function optionalInstant(text: string | null | undefined): number | null | undefined {
  if (text === undefined || text === null) return text;
  return parseTimestamp(text);
}
