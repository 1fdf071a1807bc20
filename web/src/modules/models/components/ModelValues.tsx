import { Table, Typography } from 'antd';
import { useSession } from '../../app/hooks/useSession';
import type { ModelJson } from '../hooks/useModels';

type ModelValue = ModelJson['values'][number];

/** The values a model sets, each with the condition that gives it, in the model's order. */
export function ModelValues({ values }: { values: ModelValue[] }) {
  const { t, lang } = useSession();
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
          width: 200,
          render: (name: string, row) => (
            <>
              {name}
              {lang === 'en-US' && <Typography.Text type="secondary"> · {row.english}</Typography.Text>}
            </>
          ),
        },
        { title: t('models.condition'), dataIndex: 'condition', render: (condition: string) => <Typography.Text code style={{ wordBreak: 'break-word' }}>{condition}</Typography.Text> },
      ]}
    />
  );
}
