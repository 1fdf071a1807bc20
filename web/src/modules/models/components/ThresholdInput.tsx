import { Select, Space } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { NumberInput } from '../../app/components/NumberInput';

/** An RFM threshold: the mean, the median, or a fixed number. */
export function ThresholdInput({ id, label, value, onChange }: { id: string; label: string; value: unknown; onChange: (value: unknown) => void }) {
  const { t } = useSession();
  const mode = value === 'mean' || value === 'median' ? value : 'fixed';
  return (
    <Space.Compact>
      <Select
        data-testid={`param-${id}-mode`}
        aria-label={label}
        style={{ width: 120 }}
        value={mode}
        onChange={(next) => onChange(next === 'fixed' ? 0 : next)}
        options={[
          { value: 'mean', label: t('models.mean') },
          { value: 'median', label: t('models.median') },
          { value: 'fixed', label: t('models.fixed') },
        ]}
      />
      {mode === 'fixed' && <NumberInput data-testid={`param-${id}`} aria-label={label} min={0} value={typeof value === 'number' ? value : 0} onChange={(next) => onChange(next ?? 0)} />}
    </Space.Compact>
  );
}
