import { Button, Result } from 'antd';
import { Component, type ReactNode } from 'react';
import { useLocation } from 'react-router';
import { useSession } from '../hooks/useSession';

/**
 * A page that fails to load or to draw says so in the console's frame, with a way to reload,
 * instead of leaving a blank screen. Most often its code could not be fetched: the console was
 * updated while this tab stayed open (a reload brings the new one), or the network dropped.
 */
export function PageErrorBoundary({ children }: { children: ReactNode }) {
  const { t } = useSession();
  const { pathname } = useLocation();
  const describe = (error: unknown) => {
    const text = error instanceof Error ? error.message : String(error);
    return outdated(text) ? { title: t('pageError.updatedTitle'), detail: t('pageError.updated') } : { title: t('pageError.title'), detail: t('pageError.detail', { reason: text }) };
  };
  // Another page is another chance: leaving the one that failed clears it.
  return (
    <Boundary key={pathname} describe={describe} reload={t('pageError.reload')}>
      {children}
    </Boundary>
  );
}

/** How browsers say a module (a page's code) could not be fetched. */
function outdated(message: string): boolean {
  return /dynamically imported module|Importing a module script failed|error loading dynamically imported module|Unable to preload CSS/i.test(message);
}

interface BoundaryProps {
  children: ReactNode;
  describe: (error: unknown) => { title: string; detail: string };
  reload: string;
}

class Boundary extends Component<BoundaryProps, { error: unknown }> {
  override state: { error: unknown } = { error: undefined };

  static getDerivedStateFromError(error: unknown) {
    return { error: error ?? new Error('unknown') };
  }

  override render() {
    if (this.state.error === undefined) return this.props.children;
    const { title, detail } = this.props.describe(this.state.error);
    return (
      <div data-testid="page-error">
        <Result
          status="warning"
          title={title}
          subTitle={detail}
          extra={
            <Button type="primary" data-testid="page-error-reload" onClick={() => window.location.reload()}>
              {this.props.reload}
            </Button>
          }
        />
      </div>
    );
  }
}
