// A chip's colour: the value's, else its tag's, else one picked steadily from the tag's name
// so the same tag always looks the same.
import type { TagJson } from '../../app/utils/types';

const PALETTE = ['blue', 'green', 'orange', 'purple', 'cyan', 'magenta', 'gold', 'geekblue', 'volcano', 'lime'];

export function pickTagColor(tagName: string): string {
  let hash = 0;
  for (const char of tagName) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) >>> 0;
  return PALETTE[hash % PALETTE.length] ?? 'blue';
}

/** Colours by 「name: value」 label, as preview rows carry tags. */
export function labelColors(tags: TagJson[]): Map<string, string> {
  const colors = new Map<string, string>();
  for (const tag of tags) for (const value of tag.values) colors.set(`${tag.name}: ${value.name}`, value.color ?? tag.color ?? pickTagColor(tag.name));
  return colors;
}
