import { Button, Result } from 'antd';
import { Link, useLocation } from 'react-router';
import { useSession } from '../hooks/useSession';

/** An address the console has no page for (a mistyped or outdated link): said so, with the way back. */
export function NotFoundPage() {
  const { t } = useSession();
  const { pathname } = useLocation();
  return (
    <div data-testid="not-found">
      <Result
        status="404"
        title={t('notFound.title')}
        subTitle={t('notFound.detail', { path: pathname })}
        extra={
          <Link to="/">
            <Button type="primary">{t('notFound.home')}</Button>
          </Link>
        }
      />
    </div>
  );
}
