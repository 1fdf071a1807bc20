import { Button, Space, Typography } from 'antd';
import { LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { useSession } from '../hooks/useSession';

/** Who is signed in and as what role, in place of the actor field, with the way out. */
export function SignedInUser() {
  const { access, signOut, t } = useSession();
  const role = access?.role ? t(`role.${access.role}`) : '';
  return (
    <Space size={4}>
      <Typography.Text data-testid="signed-in-user" style={{ whiteSpace: 'nowrap' }}>
        <UserOutlined style={{ marginRight: 6 }} />
        {t('session.signedIn', { name: access?.name ?? '', role })}
      </Typography.Text>
      <Button data-testid="sign-out" type="text" icon={<LogoutOutlined />} onClick={signOut}>
        {t('session.signOut')}
      </Button>
    </Space>
  );
}
