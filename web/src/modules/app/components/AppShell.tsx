import { Button, Drawer, Grid, Layout, Menu, Space, Spin, Typography } from 'antd';
import { ApiOutlined, AuditOutlined, CloudUploadOutlined, DashboardOutlined, ExperimentOutlined, HeartOutlined, KeyOutlined, MenuOutlined, SwapOutlined, TagsOutlined, TeamOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { ImportsElsewhere } from '../../imports/components/ImportsElsewhere';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { usePermissions } from '../hooks/usePermissions';
import { useSession } from '../hooks/useSession';
import { ActorInput } from './ActorInput';
import { LanguageSwitch } from './LanguageSwitch';
import { PageErrorBoundary } from './PageErrorBoundary';
import { SignedInUser } from './SignedInUser';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

/** Ant Design's split line (colorSplit). */
const SIDE_BORDER = '1px solid rgba(5, 5, 5, 0.06)';

export function AppShell() {
  const { t, workspace, access } = useSession();
  const { can, serverWide } = usePermissions();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const [drawer, setDrawer] = useState(false);
  // Under 768 px the side menu and the session controls would leave no room for the page.
  const phone = screens.md === false;
  const section = `/${pathname.split('/')[1] ?? ''}`;
  const menu = (
    <Menu
      mode="inline"
      // The sider draws the border the whole height; the menu's own stopped below its last item.
      style={{ borderInlineEnd: 'none' }}
      data-testid="nav-menu"
      selectedKeys={[section]}
      onClick={({ key }) => {
        setDrawer(false);
        void navigate(key);
      }}
      items={[
        // The icons are hidden from screen readers, which read each item as "dashboard 概览" otherwise.
        { key: '/', icon: <DashboardOutlined aria-hidden />, label: t('nav.overview') },
        { key: '/customers', icon: <TeamOutlined aria-hidden />, label: t('nav.customers') },
        { key: '/segments', icon: <UsergroupAddOutlined aria-hidden />, label: t('nav.segments') },
        { key: '/tags', icon: <TagsOutlined aria-hidden />, label: t('nav.tags') },
        ...(can('read') ? [{ key: '/transitions', icon: <SwapOutlined aria-hidden />, label: t('nav.transitions') }] : []),
        ...(can('read') ? [{ key: '/care', icon: <HeartOutlined aria-hidden />, label: t('nav.care') }] : []),
        { key: '/models', icon: <ExperimentOutlined aria-hidden />, label: t('nav.models') },
        ...(can('write') ? [{ key: '/imports', icon: <CloudUploadOutlined aria-hidden />, label: t('nav.imports') }] : []),
        ...(can('admin')
          ? [
              { key: '/audit', icon: <AuditOutlined aria-hidden />, label: t('nav.audit') },
              ...(serverWide ? [{ key: '/tokens', icon: <KeyOutlined aria-hidden />, label: t('nav.tokens') }] : []),
              { key: '/webhooks', icon: <ApiOutlined aria-hidden />, label: t('nav.webhooks') },
            ]
          : []),
      ]}
    />
  );
  const session = (
    <Space direction={phone ? 'vertical' : 'horizontal'} style={phone ? { width: '100%', padding: '0 16px 16px' } : undefined}>
      <WorkspaceSwitcher />
      {access?.authenticated ? <SignedInUser /> : <ActorInput />}
      <LanguageSwitch />
    </Space>
  );
  return (
    <Layout style={{ minHeight: '100vh' }}>
      {!phone && (
        <Layout.Sider theme="light" width={184} style={{ borderInlineEnd: SIDE_BORDER }}>
          <Typography.Title level={4} style={{ padding: '16px 20px 8px', margin: 0 }}>
            tagbase
          </Typography.Title>
          {menu}
        </Layout.Sider>
      )}
      <Layout style={{ minWidth: 0 }}>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: phone ? 'space-between' : 'flex-end', alignItems: 'center', padding: phone ? '0 12px' : '0 24px' }}>
          {phone ? (
            <>
              <Button data-testid="nav-open" type="text" icon={<MenuOutlined />} aria-label={t('nav.menu')} onClick={() => setDrawer(true)} />
              <Typography.Text strong>tagbase</Typography.Text>
              <span style={{ width: 32 }} />
            </>
          ) : (
            session
          )}
        </Layout.Header>
        <Layout.Content style={{ padding: phone ? 12 : 24, minWidth: 0 }}>{workspace ? (
            <>
              {/* Outside the page: an import goes on in its workspace whichever one is shown. */}
              {can('write') && <ImportsElsewhere />}
              {/* A page is drawn afresh in each workspace: nothing it read or was given in the last one
                  (a list, a count, a selection, a dialog) stays on screen under the new one's name. */}
              <PageErrorBoundary key={workspace}>
                <Outlet />
              </PageErrorBoundary>
            </>
          ) : (
            <Spin />
          )}</Layout.Content>
      </Layout>
      {phone && (
        // Rendered while closed too: its workspace switcher picks the workspace on a first visit, and a
        // link opened on a phone would otherwise wait for it until the menu is opened.
        <Drawer placement="left" width={260} open={drawer} forceRender onClose={() => setDrawer(false)} title="tagbase" styles={{ body: { padding: 0 } }}>
          {menu}
          {session}
        </Drawer>
      )}
    </Layout>
  );
}
