// Everything a condition can name: the workspace's tags, the built-in and custom fields, the
// metrics and the saved segments, as the builder's subjects.
import { useMemo } from 'react';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { zhCN } from '../../app/utils/messages';
import { metricName } from '../../app/utils/metricNames';
import type { TagJson } from '../../app/utils/types';
import { useModelWords } from '../../models/hooks/useModelWords';
import { fieldLabel, fieldValue } from '../../portrait/utils/fieldLabels';
import type { Subject, SubjectType } from '../utils/subjects';

interface FieldJson {
  key: string;
  name: string;
  type: SubjectType;
  options?: string[];
}

export interface SegmentRef {
  key: string;
  name: string;
}

interface MetricJson {
  key: string;
  name: string;
  name_en: string | null;
  type: SubjectType;
}

// `GET /fields` lists only the custom fields; these are the fields every customer has.
const BUILTIN_FIELDS: { key: string; type: SubjectType; options?: string[] }[] = [
  { key: 'id', type: 'string' },
  { key: 'name', type: 'string' },
  { key: 'type', type: 'enum', options: ['individual', 'company', 'government'] },
  { key: 'gender', type: 'enum', options: ['male', 'female', 'unknown'] },
  { key: 'birthday', type: 'date' },
  { key: 'city', type: 'string' },
  { key: 'region', type: 'string' },
  { key: 'occupation', type: 'string' },
  { key: 'member_level', type: 'string' },
  { key: 'source_channel', type: 'string' },
  { key: 'first_seen_at', type: 'timestamp' },
  // 0-99, fixed per customer: `random_bucket < 10` is a 10 % holdout.
  { key: 'random_bucket', type: 'number' },
  // Reachability (可触达): true when the customer holds an identity of the kind, never missing.
  { key: 'has_phone', type: 'boolean' },
  { key: 'has_email', type: 'boolean' },
  { key: 'has_wechat', type: 'boolean' },
  { key: 'has_member_card', type: 'boolean' },
];

function chineseLabel(field: string, option?: string): string[] {
  const key = option === undefined ? `field.${field}` : `field.${field}.${option}`;
  return key in zhCN ? [zhCN[key as keyof typeof zhCN]] : [];
}

/** The names a subject is not displayed by but a typed expression may use. */
function otherNames(shown: string, names: string[]): string[] {
  return names.filter((name) => name !== shown);
}

export interface SegmentSubjects {
  /** The saved segments, when the page reads them itself (and keeps them current as it saves more), `pending` until it has; read here otherwise. */
  segments?: readonly SegmentRef[] | 'pending' | undefined;
  /** Keys of segments not offered: the one being changed, and those that read it, which it may not read. */
  exclude?: ReadonlySet<string> | undefined;
}

export function useSubjects({ segments: given, exclude }: SegmentSubjects = {}): { subjects: Subject[]; ready: boolean } {
  const { t, lang } = useSession();
  const tags = useApiQuery<{ items: TagJson[] }>('/tags');
  const fields = useApiQuery<{ items: FieldJson[] }>('/fields');
  const metrics = useApiQuery<{ items: MetricJson[] }>('/metrics');
  const words = useModelWords();
  const read = useApiQuery<{ items: SegmentRef[] }>(given ? null : '/segments');
  const segments = given === 'pending' ? undefined : (given ?? read.data?.items);
  // Without the segments (not answered, say), the builder still works on everything else.
  const ready = tags.data !== undefined && fields.data !== undefined && metrics.data !== undefined && (segments !== undefined || read.error !== undefined);
  const subjects = useMemo(() => {
    const list: Subject[] = [];
    for (const tag of tags.data?.items ?? []) {
      // A model's tag and values shown in the catalog's English words in English; typed, they are still named as stored.
      const name = words.tagName(tag);
      const options = tag.values.map((value) => {
        const label = words.valueName(tag, value);
        return { value: value.key, label, ...(label === value.name ? {} : { written: value.name }) };
      });
      list.push({ id: `tag:${tag.key}`, kind: 'tag', key: tag.key, name, ...(name === tag.name ? {} : { written: tag.name }), type: 'tag', multi: tag.cardinality === 'multi', ordered: tag.ordered ?? false, options });
    }
    for (const field of BUILTIN_FIELDS) {
      const name = fieldLabel(t, field.key);
      list.push({ id: `field:${field.key}`, kind: 'field', key: field.key, name, aliases: otherNames(name, chineseLabel(field.key)), type: field.type, multi: false, ordered: false, options: (field.options ?? []).map((option) => ({ value: option, label: fieldValue(t, field.key, option), aliases: chineseLabel(field.key, option) })) });
    }
    for (const field of fields.data?.items ?? []) {
      list.push({ id: `field:${field.key}`, kind: 'field', key: field.key, name: field.name, type: field.type, multi: false, ordered: false, options: (field.options ?? []).map((option) => ({ value: option, label: option })) });
    }
    for (const metric of metrics.data?.items ?? []) {
      const name = metricName(metric, lang);
      list.push({ id: `metric:${metric.key}`, kind: 'metric', key: metric.key, name, aliases: otherNames(name, [metric.name]), type: metric.type, multi: false, ordered: false, options: [] });
    }
    for (const item of segments ?? []) {
      if (exclude?.has(item.key)) continue;
      list.push({ id: `segment:${item.key}`, kind: 'segment', key: item.key, name: item.name, type: 'segment', multi: false, ordered: false, options: [] });
    }
    return list;
  }, [tags.data, fields.data, metrics.data, segments, exclude, t, lang, words]);
  return { subjects, ready };
}
