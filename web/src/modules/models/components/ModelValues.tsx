import { Grid, Table, Typography, type TableColumnType } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ModelJson } from '../hooks/useModels';
import { conditionParts } from '../utils/conditionParts';
import { modelValueName } from '../utils/modelValueName';

type ModelValue = ModelJson['values'][number];

/**
 * The values a model sets, each with the condition that gives it, in the model's order. In English
 * a value is named in English, the Chinese name its tag will store beside it; the metrics the model
 * defines for itself read by their names (`metricNames`), their keys on hover. Without `conditions`
 * (a model whose conditions are not known yet) the values are listed alone.
 */
export function ModelValues({ values, metricNames, conditions = true }: { values: ModelValue[]; metricNames: ReadonlyMap<string, string>; conditions?: boolean }) {
  const { t, lang } = useSession();
  // On a phone a fixed width for the names left the conditions a word a line: there the columns share the width by what they hold.
  const phone = Grid.useBreakpoint().sm === false;
  const conditionColumn: TableColumnType<ModelValue> = {
    title: t('models.condition'),
    dataIndex: 'condition',
    render: (condition: string) => (
      <Typography.Text code style={{ wordBreak: 'break-word' }}>
        {conditionParts(condition, metricNames).map((part, index) =>
          'metric' in part ? (
            <span key={index} data-testid="model-condition-metric" title={part.metric} style={{ fontStyle: 'italic' }}>
              {part.name}
            </span>
          ) : (
            part.text
          ),
        )}
      </Typography.Text>
    ),
  };
  return (
    <Table<ModelValue>
      data-testid="model-values"
      size="small"
      rowKey="key"
      pagination={false}
      dataSource={values}
      columns={[
        {
          title: t('models.value'),
          dataIndex: 'name',
          width: phone ? undefined : 200,
          render: (name: string, row) => {
            const shown = modelValueName(row, values, lang);
            return (
              <>
                {shown}
                {/* The name the tag stores, which expressions and imports name the value by: the shop's data in either language. */}
                {shown !== name && <Typography.Text data-testid="model-value-stored-name" type="secondary"> · {name}</Typography.Text>}
              </>
            );
          },
        },
        ...(conditions ? [conditionColumn] : []),
      ]}
    />
  );
}
