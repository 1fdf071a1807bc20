import { Button, Select, Space } from 'antd';
import { useState } from 'react';
import { useSession } from '../../app/hooks/useSession';
import type { TagJson } from '../../app/utils/types';

/** Adds a manual tag value in place; model tags are computed and cannot be chosen. */
export function AddTagForm({ library, onAdd }: { library: TagJson[]; onAdd: (tag: string, value: string) => Promise<void> }) {
  const { t } = useSession();
  const [tagKey, setTagKey] = useState<string>();
  const [valueKey, setValueKey] = useState<string>();
  const [busy, setBusy] = useState(false);
  const assignable = library.filter((tag) => tag.kind !== 'model' && tag.status === 'active');
  const tag = assignable.find((candidate) => candidate.key === tagKey);
  const add = async () => {
    if (!tagKey || !valueKey) return;
    setBusy(true);
    try {
      await onAdd(tagKey, valueKey);
      setValueKey(undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Space style={{ marginTop: 12 }} wrap>
      <Select data-testid="add-tag-tag" style={{ width: 180 }} placeholder={t('portrait.addTag')} showSearch optionFilterProp="label" value={tagKey} onChange={(key: string) => { setTagKey(key); setValueKey(undefined); }} options={assignable.map((item) => ({ value: item.key, label: item.name }))} />
      <Select data-testid="add-tag-value" style={{ width: 160 }} placeholder={t('bulk.value')} value={valueKey} onChange={setValueKey} options={(tag?.values ?? []).map((item) => ({ value: item.key, label: item.name }))} />
      <Button data-testid="add-tag-submit" type="primary" disabled={!valueKey} loading={busy} onClick={() => void add()}>
        {t('portrait.add')}
      </Button>
    </Space>
  );
}
