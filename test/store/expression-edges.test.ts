// The bitmap index, SQL and the reference evaluator on hand-picked edges rather than random
// ones: empty and awkward text, missing values under `not`, ordered comparisons at their ends,
// very long `in` lists and saved segments read through one another — the same customers on
// SQLite and on PostgreSQL.
import { expect } from 'vitest';
import { WorkspaceIndex } from '../../src/index/workspace-index.js';
import { countCustomers, selectCustomerIds } from '../../src/store/expression-sql.js';
import { loadCustomerViews } from '../../src/engine/catalog.js';
import { printString } from '../../src/core/expression/index.js';
import { RANDOM_NOWS, compileRandom, referenceIds, seedRandomWorkspace, type SeededWorkspace } from '../support/random-expressions.js';
import { forEachStore, it } from '../support/stores.js';

/** Text the random pool lacks: full-width letters and digits, a lone combining mark, a tab, a zero-width joiner inside an emoji. */
const EXTRA_TEXT = ['ＡＢＣ１２３', '　', 'é', 'e\u0301', 'tab\there', '👩‍💻', '\\', '"', "'", '`', '%', '_', '\uFFFD'];

const q = printString;
const numbers = (count: number) => Array.from({ length: count }, (_, i) => String(i - 5)).join(', ');
const dates = (count: number) => Array.from({ length: count }, (_, i) => q(new Date(Date.UTC(2025, 0, 1) + i * 86_400_000).toISOString().slice(0, 10))).join(', ');
const texts = (count: number) => Array.from({ length: count }, (_, i) => q(`城市${i}`)).join(', ');

/** Day boundaries at the workspace's offset and relative dates. */
const DAY_EDGES: string[] = [
  'first_seen_at = "2026-02-28"', 'first_seen_at < 0 days ago', 'first_seen_at >= "2026-02-28"', 'first_seen_at <= "2026-02-27"', 'first_seen_at > "2026-02-27T16:00:00Z"', 'first_seen_at < "2026-02-28 00:00"',
  'last_order_at within 0 days', 'last_order_at within 1 day', 'last_order_at after 1 day ago', 'signup_date = 0 days ago', 'signup_date = 1 day ago', 'signup_date >= 0 days ago', 'birthday within 0 days', 'birthday within 1 day',
  'birthday within 365 days', 'birthday within 366 days', 'signup_date between 1 day ago and 0 days ago', 'signup_date between 0 days ago and 1 day ago',
];

const EDGES: string[] = [
  // Empty text is a value, not a missing one.
  'city = ""', 'city != ""', 'city in ("")', 'city not in ("")', 'not city = ""', 'nickname = ""', 'nickname != ""', 'preferred_channel = ""', 'preferred_channel != ""',
  // Quotes, backslashes, LIKE wildcards, emoji, full-width characters.
  ...[...['广州', "O'Brien", 'say "hi"', '100%', 'a_b', 'back\\slash', '客户😀', '😀', 'ÄÖ'], ...EXTRA_TEXT].flatMap((text) => [`city = ${q(text)}`, `city != ${q(text)}`, `nickname in (${q(text)}, "")`, `last_receiver_city not in (${q(text)})`]),
  // Half of a surrogate pair is no character a store can hold (it is written as U+FFFD), so it equals no stored text.
  'city = "\\uD800"', 'city != "\\uD800"', 'city in ("\\uDE00", "广州")', 'nickname = "\\uD83D"', 'last_receiver_city not in ("\\uD800")',
  // Missing values: every predicate false but `missing`, and `not` the plain negation.
  'not score > 0', 'not score <= 0', 'score != 0', 'not score != 0', 'score not in (0)', 'not score in (0)', 'not nickname = "广州"', 'not last_receiver_city in ("广州")', 'not spend_365d between 0 and 100',
  'not is_member', 'is_member = false', 'not is_member = false', 'not plan = "pro"', 'plan != "pro"', 'not signup_date within 30 days', 'not last_order_at within 30 days', 'not birthday before 0 days ago',
  'not hobby has any ("golf")', 'hobby has none ("golf")', 'not hobby has all ("golf", "tea")', 'not level = "gold"', 'level != "gold"', 'not level >= "silver"', 'level not in ("gold")',
  // Ordered comparisons at and past the ends.
  'score >= -5', 'score > -5', 'score <= 1000', 'score < 1000', 'score between -5 and -5', 'score between 1000 and -5', 'score between 0 and 0', 'score = -0', 'score >= 1e6', 'score < -1e6',
  'random_bucket >= 0', 'random_bucket < 0', 'random_bucket <= 99', 'random_bucket > 99', 'random_bucket between 99 and 0', 'random_bucket = 99.5', 'random_bucket between 0 and 99',
  'level >= "bronze"', 'level > "platinum"', 'level <= "bronze"', 'level < "bronze"', 'level between "platinum" and "bronze"', 'level between "青铜" and "铂金"',
  'hobby has all ("golf", "fishing", "tea", "yoga")', 'hobby has any ("golf", "golf")', 'hobby has none ("golf", "fishing", "tea", "yoga")',
  ...DAY_EDGES,
  // Saved segments read through one another, once and twice, and one reading itself.
  'segment("seg_b") and not segment("seg_a")', 'not segment("seg_c")', 'segment("seg_self") and not segment("seg_self")', 'segment("seg_deep") or segment("seg_x9")', 'not segment("seg_x9")',
  // Very long `in` lists.
  `score in (${numbers(1500)})`, `score not in (${numbers(1500)})`, `city in (${texts(1500)}, "广州")`, `not city in (${texts(1500)}, "广州")`, `score in (${numbers(40_000)})`,
  `first_seen_at in (${dates(1500)})`, `spend_365d in (${numbers(1500)})`, `has_phone in (${Array.from({ length: 1500 }, (_, i) => String(i % 2 === 0)).join(', ')})`,
  // Very long chains of `and` and `or`.
  Array.from({ length: 2000 }, (_, i) => `score != ${i}`).join(' and '), Array.from({ length: 2000 }, (_, i) => `city = ${q(`城市${i}`)}`).join(' or ') + ' or city = "广州"',
];

forEachStore('index, SQL and evaluator agree on edges', (h) => {
  it('select exactly the same customers for every edge', async () => {
    const context = h.context();
    const seeded = await seedRandomWorkspace(context, { customers: 150 });
    // A few customers holding the text the random pool lacks, in a field, a custom field and a metric.
    const at = context.now().getTime();
    const rows = await context.store.db
      .insertInto('customers')
      .values(EXTRA_TEXT.map((text, i) => ({ workspace_id: context.workspaceId, external_id: `edge${i}`, type: null, region: null, occupation: null, member_level: null, source_channel: null, name: text, gender: null, birthday: null, city: text, first_seen_at: null, custom: JSON.stringify({ nickname: text }), merged_into: null, created_at: at, updated_at: at })))
      .returning('id')
      .execute();
    const extra = rows.map((row) => Number(row.id));
    await context.store.db
      .insertInto('customer_metrics')
      .values(extra.map((id, i) => ({ customer_id: id, workspace_id: context.workspaceId, metric_values: JSON.stringify({ last_receiver_city: EXTRA_TEXT[i], preferred_channel: EXTRA_TEXT[i] }), computed_at: at, valid_until: null })))
      .execute();
    for (const [id, view] of await loadCustomerViews(context, seeded.catalog, extra)) seeded.views.set(id, view);
    const index = await WorkspaceIndex.build(h.store(), context.workspaceId);
    expect(await disagreements(context.workspaceId, seeded, index, EDGES)).toEqual([]);
  });

  // West of UTC, and an offset of no whole hour: days start at other instants than at UTC+8.
  it.each([-300, 345])('select the same customers about day boundaries %i minutes from UTC', async (offset) => {
    const context = h.context();
    const seeded = await seedRandomWorkspace(context, { customers: 150 });
    await context.store.db.updateTable('workspaces').set({ utc_offset_minutes: offset }).where('id', '=', context.workspaceId).execute();
    seeded.catalog = { ...seeded.catalog, utcOffsetMinutes: offset };
    const index = await WorkspaceIndex.build(h.store(), context.workspaceId);
    expect(await disagreements(context.workspaceId, seeded, index, DAY_EDGES)).toEqual([]);
  });

  /** What SQL and the index answer otherwise than the evaluator, one line each. */
  async function disagreements(workspaceId: number, seeded: SeededWorkspace, index: WorkspaceIndex, sources: readonly string[]): Promise<string[]> {
    const failures: string[] = [];
    for (const source of sources) {
      const bound = compileRandom(seeded, source);
      // The long ones once: their length, not the day, is what they test.
      for (const now of source.length > 1000 ? RANDOM_NOWS.slice(0, 1) : RANDOM_NOWS) {
        const options = { tagIds: seeded.catalog.tagIds, now, utcOffsetMinutes: seeded.catalog.utcOffsetMinutes, segment: (key: string) => seeded.segments.get(key) };
        const expected = referenceIds(seeded, bound, now);
        const label = `${source.slice(0, 80)} at ${new Date(now).toISOString()}`;
        const answers: [string, () => Promise<number[] | number>, number[] | number][] = [
          ['sql', () => selectCustomerIds(h.store(), workspaceId, bound, options), expected],
          ['sql count', () => countCustomers(h.store(), workspaceId, bound, options), expected.length],
          ['index', () => Promise.resolve(index.evaluate(bound, options).toArray()), expected],
          ['index count', () => Promise.resolve(index.count(bound, options)), expected.length],
        ];
        for (const [backEnd, answer, wanted] of answers) {
          try {
            const got = await answer();
            if (JSON.stringify(got) !== JSON.stringify(wanted)) failures.push(`${backEnd}: ${label}: ${JSON.stringify(got).slice(0, 80)} ≠ ${JSON.stringify(wanted).slice(0, 80)}`);
          } catch (error) {
            failures.push(`${backEnd}: ${label}: ${String(error).slice(0, 160)}`);
          }
        }
      }
    }
    return failures;
  }
});
