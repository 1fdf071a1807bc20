import { Alert } from 'antd';
import { Link } from 'react-router';
import { usePermissions } from '../../app/hooks/usePermissions';
import { useSession } from '../../app/hooks/useSession';

interface Props {
  model: string;
  /** What the chart waits for, to whoever may enable the model: the link to the Models page follows it. */
  message: string;
  /** The same to a role that may not enable models (`message` unless given): it gets no link, since the Models page would let it do nothing. */
  readOnlyMessage?: string;
  testId: string;
}

/** A chart's model is not enabled: says so, with a link to the Models page that enables it for those who may. */
export function ModelMissing({ model, message, readOnlyMessage, testId }: Props) {
  const { t } = useSession();
  const { can } = usePermissions();
  const mayEnable = can('write');
  return (
    <Alert
      data-testid={`${testId}-missing`}
      type="info"
      showIcon
      message={mayEnable ? message : (readOnlyMessage ?? message)}
      action={
        mayEnable && (
          <Link to={`/models?model=${model}`} data-testid={`${testId}-enable`}>
            {t('overview.enableModel')}
          </Link>
        )
      }
    />
  );
}
