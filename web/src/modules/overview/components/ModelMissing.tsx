import { Alert } from 'antd';
import { Link } from 'react-router';
import { useSession } from '../../app/hooks/useSession';

/** A chart's model is not enabled: says so, with a link to the Models page that enables it. */
export function ModelMissing({ model, message, testId }: { model: string; message: string; testId: string }) {
  const { t } = useSession();
  return (
    <Alert
      data-testid={`${testId}-missing`}
      type="info"
      showIcon
      message={message}
      action={
        <Link to={`/models?model=${model}`} data-testid={`${testId}-enable`}>
          {t('overview.enableModel')}
        </Link>
      }
    />
  );
}
