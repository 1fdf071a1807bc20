// What a customer's name is found by: its text folded for width and case, and its pinyin, kept
// with the customer (`customers.name_search`) so that a search is one scan of stored keys, never a
// pinyin reading of every name per query. docs/api.md (`q`) states the rule these serve.
import { createRequire } from 'node:module';
import type * as PinyinModule from 'pinyin-pro';

type PinyinPro = typeof PinyinModule;
let pinyinPro: PinyinPro | undefined;

/**
 * pinyin-pro reads its dictionary as it is loaded, about a tenth of a second: loaded on the first
 * name read, so that a command or a server that writes no name does not pay it at its start.
 */
function pinyinReader(): PinyinPro['pinyin'] {
  pinyinPro ??= createRequire(import.meta.url)('pinyin-pro') as PinyinPro;
  return pinyinPro.pinyin;
}

/**
 * Marks in a key, and neither can be in a name or a query: control characters are taken out of
 * both. A query's match cannot cross one, so a pattern that ends before the first (the name) or
 * starts after one of the others (a spelling) reaches only the part it is meant for.
 */
const AFTER_NAME = '\u001f';
const BEFORE_SPELLING = '\u001e';
const CONTROL = /\p{Cc}/gu;

/**
 * Pinyin reads this many syllables of a name (Han characters, and Latin words, one each). A name
 * is 128 characters at most; its spellings from every syllable on grow with the square of its
 * length, and a person's or a shop's name is read whole well within this.
 */
export const PINYIN_SYLLABLES = 24;

/** A name or a query as compared: full-width letters and digits as plain ones (NFKC), lower case. */
export function foldName(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(CONTROL, '');
}

/**
 * A name's syllables as one way of reading it: each Han character's pinyin without tones (ü as v),
 * each run of Latin letters as one word; digits, spaces and punctuation are passed over.
 */
function readSyllables(folded: string, surname: 'head' | 'off'): string[] {
  const syllables: string[] = [];
  // A Han character comes back as its pinyin, and what is not Han as it was, a run at a time.
  for (const part of pinyinReader()(folded, { toneType: 'none', type: 'array', surname, v: true, nonZh: 'consecutive' })) {
    syllables.push(...(part.match(/[a-z]+/g) ?? []));
    if (syllables.length >= PINYIN_SYLLABLES) break;
  }
  return syllables.slice(0, PINYIN_SYLLABLES);
}

/**
 * The ways a name is read. A surname with a reading of its own (单 shan, 曾 zeng, 解 xie, 仇 qiu,
 * 区 ou, 查 zha) reads as a surname; the character's everyday reading (dan, ceng, …) is kept too,
 * for whoever does not know the surname's. ü is written v, as input methods take it, and u, as
 * passports and most people spell it (吕 lv and lu).
 */
function readings(folded: string): string[][] {
  const found = new Map<string, string[]>();
  for (const surname of ['head', 'off'] as const) {
    const syllables = readSyllables(folded, surname);
    // Only 吕 lv, 女 nv, 略 lve, 虐 nve spell ü as v (after j, q, x, y it is u already); a Latin word keeps its v.
    for (const reading of [syllables, syllables.map((syllable) => syllable.replace(/^([ln])v(e?)$/, '$1u$2'))]) found.set(reading.join(' '), reading);
  }
  return [...found.values()];
}

/**
 * The stored search key of a name: the folded name, then each reading's spellings from every
 * syllable on, in full (`weiguilan`, `guilan`, `lan`) and by initials (`wgl`, `gl`, `l`), so that
 * a query is found as the start of one of them. Null for no name.
 */
export function nameSearchKey(name: string | null): string | null {
  if (name === null) return null;
  const folded = foldName(name);
  const spellings = new Set<string>();
  for (const syllables of readings(folded)) {
    let full = '';
    let initials = '';
    // From the last syllable back, each spelling is the one after it with its syllable in front.
    for (let index = syllables.length - 1; index >= 0; index -= 1) {
      const syllable = syllables[index] ?? '';
      full = syllable + full;
      initials = syllable.charAt(0) + initials;
      spellings.add(full).add(initials);
    }
  }
  return `${folded}${AFTER_NAME}${[...spellings].map((text) => BEFORE_SPELLING + text).join('')}`;
}

/**
 * What a query looks for in stored keys: `inName`, a part of the folded name; `spelling`, the
 * start of one of its spellings (a pinyin query: Latin letters, spaces and syllable marks such
 * as xi'an, taken without the spaces). Either is absent when the query cannot match that way.
 * The store's LIKE patterns and the index's search (src/index/name-search.ts) both come from this.
 */
export function nameSearchTerms(q: string): { inName?: string; spelling?: string } {
  const folded = foldName(q);
  if (folded === '') return {};
  const letters = folded.replace(/[\s'’]/g, '').replace(/ü/g, 'v');
  return /^[a-z]+$/.test(letters) ? { inName: folded, spelling: letters } : { inName: folded };
}

/**
 * The characters of a key's two marks, for a statement that reads a key's spellings as
 * `spelledNameSearchKey` gives them (the index's build, src/index/build.ts): in a page's JSON
 * each mark would be a six-byte escape.
 */
export const NAME_KEY_MARK_CODES = { afterName: AFTER_NAME.charCodeAt(0), beforeSpelling: BEFORE_SPELLING.charCodeAt(0) };

/**
 * A stored key as the index's name table keeps it: the folded name, and the spellings each after
 * a space in place of its mark (a spelling is letters only, so a space ends one as well).
 */
export function spelledNameSearchKey(key: string): { folded: string; spelled: string } {
  const end = key.indexOf(AFTER_NAME);
  return end < 0 ? { folded: key, spelled: '' } : { folded: key.slice(0, end), spelled: key.slice(end + 1).replaceAll(BEFORE_SPELLING, ' ') };
}

/** What a spelling term is looked for as in the spellings part of a key: the start of one spelling. */
export function spellingNeedle(spelling: string): string {
  return BEFORE_SPELLING + spelling;
}

/** LIKE patterns (escape character `\`) that find a query in stored keys; any one matching finds the customer. */
export function nameSearchPatterns(q: string): string[] {
  const { inName, spelling } = nameSearchTerms(q);
  const patterns: string[] = [];
  // The name as folded holds the query: the part before the name's mark.
  if (inName !== undefined) patterns.push(`%${inName.replace(/[%_\\]/g, (char) => `\\${char}`)}%${AFTER_NAME}%`);
  if (spelling !== undefined) patterns.push(`%${spellingNeedle(spelling)}%`);
  return patterns;
}
