import { Typography } from 'antd';
import { useExportColumnChoices } from '../../app/hooks/useExportColumnChoices';
import { useSession } from '../../app/hooks/useSession';
import { exportFieldName } from '../../app/utils/exportColumns';
import { joinNames } from '../../app/utils/format';

/**
 * Under what an export was, the metrics and fields its file added to the fixed columns, by name
 * where the workspace still has them (by key where it does not); nothing for an export of the
 * fixed columns alone.
 */
export function ExportLogColumns({ metrics, fields }: { metrics: readonly string[]; fields: readonly string[] }) {
  const { t, lang } = useSession();
  const choices = useExportColumnChoices(metrics.length + fields.length > 0);
  if (metrics.length + fields.length === 0) return null;
  const metricNames = metrics.map((key) => choices.metrics?.find((metric) => metric.key === key)?.name ?? key);
  const fieldNames = fields.map((key) => exportFieldName(key, lang, choices.customFields));
  return (
    <div data-testid="export-log-columns" style={{ marginTop: 4 }}>
      {metricNames.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="export-log-metrics">
          {t('exports.metrics', { names: joinNames(metricNames, lang) })}
        </Typography.Text>
      )}
      {fieldNames.length > 0 && (
        <Typography.Text type="secondary" style={{ display: 'block', fontSize: 12 }} data-testid="export-log-fields">
          {t('exports.fields', { names: joinNames(fieldNames, lang) })}
        </Typography.Text>
      )}
    </div>
  );
}
