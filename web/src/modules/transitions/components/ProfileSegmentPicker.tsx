import { Select } from 'antd';
import { useApiQuery } from '../../app/hooks/useApiQuery';
import { useSession } from '../../app/hooks/useSession';
import { PickerRow } from './PickerRow';

/** Whose profile: everyone, or a saved segment's customers (RFM levels among 上海客户). */
export function ProfileSegmentPicker({ among, onChange }: { among: string | undefined; onChange: (segment: string | undefined) => void }) {
  const { t } = useSession();
  const segments = useApiQuery<{ items: { key: string; name: string }[] }>('/segments');
  return (
    <PickerRow label={t('transitions.profileAmong')}>
      <Select
        data-testid="transitions-profile-segment"
        aria-label={t('transitions.profileAmong')}
        style={{ minWidth: 200 }}
        showSearch
        optionFilterProp="label"
        loading={segments.loading}
        value={among ?? ''}
        onChange={(key: string) => onChange(key === '' ? undefined : key)}
        options={[{ value: '', label: t('transitions.profileEveryone') }, ...(segments.data?.items ?? []).map((segment) => ({ value: segment.key, label: segment.name }))]}
      />
    </PickerRow>
  );
}
