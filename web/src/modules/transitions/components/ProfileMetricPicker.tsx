import { Select } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import { metricName } from '../../app/utils/metricNames';
import type { MetricChoice } from '../hooks/useNumberMetrics';
import { PickerRow } from './PickerRow';

/** The server refuses more at once: a table a person reads. */
const MAX_PROFILE_METRICS = 12;

/**
 * The number metrics a profile compares values by. `chosen` is what the table shows; the options
 * are the workspace's number metrics, or, until they arrive, the ones shown, so chips have names.
 */
export function ProfileMetricPicker({ chosen, options, loading, onChange }: { chosen: string[]; options: MetricChoice[]; loading: boolean; onChange: (keys: string[]) => void }) {
  const { t, lang } = useSession();
  return (
    <PickerRow label={t('transitions.profileMetrics')}>
      <Select
        data-testid="transitions-profile-metrics"
        aria-label={t('transitions.profileMetrics')}
        mode="multiple"
        maxCount={MAX_PROFILE_METRICS}
        showSearch
        optionFilterProp="label"
        placeholder={t('transitions.profileMetricsPlaceholder')}
        style={{ flex: 1, minWidth: 0, maxWidth: 720 }}
        loading={loading}
        value={chosen}
        onChange={onChange}
        options={options.map((metric) => ({ value: metric.key, label: metricName(metric, lang) }))}
      />
    </PickerRow>
  );
}
