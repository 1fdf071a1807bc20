// The new segment being built, one a workspace, kept outside the segments page: the page is drawn
// afresh whenever it is opened, and a look at the customers or the tags halfway through building
// one dropped its condition, name and key. Kept for the tab's life, until the segment is saved.

export interface SegmentDraft {
  key: string;
  name: string;
  expression: string;
}

const EMPTY: SegmentDraft = { key: '', name: '', expression: '' };

const drafts = new Map<string, SegmentDraft>();

export function readSegmentDraft(workspace: string): SegmentDraft {
  return drafts.get(workspace) ?? EMPTY;
}

export function keepSegmentDraft(workspace: string, draft: SegmentDraft): void {
  if (draft.key === '' && draft.name === '' && draft.expression === '') drafts.delete(workspace);
  else drafts.set(workspace, draft);
}
