// The segment work not yet saved, kept outside the segments page: the page is drawn afresh
// whenever it is opened, and a look at the customers or the tags halfway through dropped it. The
// new segment being built, one a workspace, and the changes to saved segments, one a segment, are
// kept for the tab's life, until saved or cancelled; while any is kept, closing or reloading the
// tab asks first.
import type { SegmentJson } from '../hooks/useSegments';

export interface SegmentDraft {
  key: string;
  name: string;
  expression: string;
}

/** Unsaved changes to a saved segment, with the segment as it was when they began. */
export interface SegmentEdit {
  segment: SegmentJson;
  draft: SegmentDraft;
}

const EMPTY: SegmentDraft = { key: '', name: '', expression: '' };

const drafts = new Map<string, SegmentDraft>();
// Workspace, then segment key; the segment changed last comes last.
const edits = new Map<string, Map<string, SegmentEdit>>();

export function readSegmentDraft(workspace: string): SegmentDraft {
  return drafts.get(workspace) ?? EMPTY;
}

export function keepSegmentDraft(workspace: string, draft: SegmentDraft): void {
  if (draft.key === '' && draft.name === '' && draft.expression === '') drafts.delete(workspace);
  else drafts.set(workspace, draft);
  warnBeforeUnload();
}

export function readSegmentEdit(workspace: string, key: string): SegmentEdit | undefined {
  return edits.get(workspace)?.get(key);
}

/** The saved segment whose changes were left last, to open again when the page comes back. */
export function lastSegmentEdit(workspace: string): SegmentEdit | undefined {
  return [...(edits.get(workspace)?.values() ?? [])].pop();
}

export function keepSegmentEdit(workspace: string, edit: SegmentEdit): void {
  const kept = edits.get(workspace) ?? new Map<string, SegmentEdit>();
  kept.delete(edit.segment.key);
  kept.set(edit.segment.key, edit);
  edits.set(workspace, kept);
  warnBeforeUnload();
}

export function dropSegmentEdit(workspace: string, key: string): void {
  const kept = edits.get(workspace);
  kept?.delete(key);
  if (kept?.size === 0) edits.delete(workspace);
  warnBeforeUnload();
}

function askBeforeUnload(event: BeforeUnloadEvent): void {
  event.preventDefault();
  // Older browsers ask only when a value is returned this way.
  event.returnValue = '';
}

let asking = false;

/** Asks before the tab closes or reloads only while some segment work is unsaved. */
function warnBeforeUnload(): void {
  const unsaved = drafts.size > 0 || edits.size > 0;
  if (unsaved === asking) return;
  asking = unsaved;
  if (unsaved) window.addEventListener('beforeunload', askBeforeUnload);
  else window.removeEventListener('beforeunload', askBeforeUnload);
}
