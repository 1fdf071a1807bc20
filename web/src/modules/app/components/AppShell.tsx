import { Layout, Menu, Space, Spin, Typography } from 'antd';
import { CloudUploadOutlined, DashboardOutlined, ExperimentOutlined, TagsOutlined, TeamOutlined, UsergroupAddOutlined } from '@ant-design/icons';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useSession } from '../hooks/useSession';
import { ActorInput } from './ActorInput';
import { LanguageSwitch } from './LanguageSwitch';
import { WorkspaceSwitcher } from './WorkspaceSwitcher';

export function AppShell() {
  const { t, workspace } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const section = `/${pathname.split('/')[1] ?? ''}`;
  return (
    <Layout style={{ minHeight: '100vh' }}>
      <Layout.Sider theme="light" width={184} breakpoint="lg" collapsedWidth={0}>
        <Typography.Title level={4} style={{ padding: '16px 20px 8px', margin: 0 }}>
          tagbase
        </Typography.Title>
        <Menu
          mode="inline"
          selectedKeys={[section]}
          onClick={({ key }) => void navigate(key)}
          items={[
            { key: '/', icon: <DashboardOutlined />, label: t('nav.overview') },
            { key: '/customers', icon: <TeamOutlined />, label: t('nav.customers') },
            { key: '/segments', icon: <UsergroupAddOutlined />, label: t('nav.segments') },
            { key: '/tags', icon: <TagsOutlined />, label: t('nav.tags') },
            { key: '/models', icon: <ExperimentOutlined />, label: t('nav.models') },
            { key: '/imports', icon: <CloudUploadOutlined />, label: t('nav.imports') },
          ]}
        />
      </Layout.Sider>
      <Layout>
        <Layout.Header style={{ background: '#fff', display: 'flex', justifyContent: 'flex-end', alignItems: 'center', padding: '0 24px' }}>
          <Space>
            <WorkspaceSwitcher />
            <ActorInput />
            <LanguageSwitch />
          </Space>
        </Layout.Header>
        <Layout.Content style={{ padding: 24 }}>{workspace ? <Outlet /> : <Spin />}</Layout.Content>
      </Layout>
    </Layout>
  );
}
