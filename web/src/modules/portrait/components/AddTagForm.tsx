import { Button, Select, Space, Tag, type RefSelectProps } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';
import { focusIsLost } from '../../app/utils/focus';
import { ExpiryDaysInput } from '../../app/components/ExpiryDaysInput';

interface Props {
  library: TagJson[];
  /** What the customer holds now, as `tag:value`: marked 已有 in the values and not offered again. */
  held: ReadonlySet<string>;
  /** `expiryDays`: how many days the values are held, when given; the tag's default expiry otherwise. */
  onAdd: (tag: string, values: string[], expiryDays?: number) => Promise<void>;
}

/**
 * Adds a manual tag value in place; model tags are computed and cannot be chosen. A multi-valued
 * tag takes several values at once (兴趣爱好: 高尔夫, 钓鱼). A value the customer holds already is
 * marked and cannot be chosen, so that nobody adds what is there. A value can be given for some
 * days only (a campaign's tag); left empty, the tag's default expiry applies, as the API's does.
 */
export function AddTagForm({ library, held, onAdd }: Props) {
  const { t } = useSession();
  const [tagKey, setTagKey] = useState<string>();
  const [valueKeys, setValueKeys] = useState<string[]>([]);
  const [expiryDays, setExpiryDays] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const tagSelect = useRef<RefSelectProps>(null);
  const submit = useRef<HTMLButtonElement>(null);
  // Counts the values added, each of which greys 添加 out until the next value is chosen: its focus
  // then fell to the page's top, and a keyboard user goes on from the start of the form instead
  // (unless they went elsewhere while it was being added).
  const [added, setAdded] = useState(0);
  useEffect(() => {
    if (added > 0 && focusIsLost(submit.current)) tagSelect.current?.focus();
  }, [added]);
  const assignable = library.filter((tag) => tag.kind !== 'model' && tag.status === 'active');
  const tag = assignable.find((candidate) => candidate.key === tagKey);
  const multi = tag?.cardinality === 'multi';
  const add = async () => {
    if (!tagKey || valueKeys.length === 0) return;
    setBusy(true);
    try {
      await onAdd(tagKey, valueKeys, expiryDays ?? undefined);
      setValueKeys([]);
      setExpiryDays(null);
      setAdded((n) => n + 1);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space style={{ marginTop: 12 }} wrap>
      <Select
        ref={tagSelect}
        data-testid="add-tag-tag"
        aria-label={t('portrait.addTag')}
        style={{ width: 180 }}
        placeholder={t('portrait.addTag')}
        showSearch
        optionFilterProp="label"
        value={tagKey}
        onChange={(key: string) => {
          setTagKey(key);
          setValueKeys([]);
        }}
        options={assignable.map((item) => ({ value: item.key, label: item.name }))}
      />
      <Select<string | string[]>
        data-testid="add-tag-value"
        aria-label={multi ? t('portrait.values') : t('bulk.value')}
        style={{ minWidth: 160 }}
        placeholder={multi ? t('portrait.values') : t('bulk.value')}
        {...(multi ? { mode: 'multiple' as const } : {})}
        value={multi ? valueKeys : valueKeys[0]}
        onChange={(chosen) => setValueKeys(Array.isArray(chosen) ? chosen : chosen === undefined ? [] : [chosen])}
        // Opened before a tag is chosen, it says so, rather than that there is no data.
        notFoundContent={tag ? undefined : <span data-testid="add-tag-value-first">{t('portrait.pickTagFirst')}</span>}
        options={(tag?.values ?? []).map((item) => ({ value: item.key, label: item.name, disabled: held.has(`${tag?.key ?? ''}:${item.key}`) }))}
        optionRender={(option) => (
          <Space size={4}>
            {option.label}
            {option.data.disabled && (
              <Tag bordered={false} data-testid="add-tag-value-held">
                {t('portrait.held')}
              </Tag>
            )}
          </Space>
        )}
      />
      <ExpiryDaysInput testId="add-tag-expiry" tag={tag} value={expiryDays} onChange={setExpiryDays} />
      <Button ref={submit} data-testid="add-tag-submit" type="primary" disabled={valueKeys.length === 0} loading={busy} onClick={() => void add()}>
        {t('portrait.add')}
      </Button>
    </Space>
  );
}
