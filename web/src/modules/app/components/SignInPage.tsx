import { Alert, Button, Card, Form, Input, Layout, Typography } from 'antd';
import { KeyOutlined } from '@ant-design/icons';
import { useState } from 'react';
import { useSession } from '../hooks/useSession';
import { useSubmission } from '../hooks/useSubmission';
import { LanguageSwitch } from './LanguageSwitch';

const ignoreAnswer = () => undefined;

/** Shown instead of the console while the server asks for an access token and none is held. */
export function SignInPage() {
  const { t, signIn, signInNotice } = useSession();
  const [token, setToken] = useState('');
  // Signed in, the console replaces this page: nothing to do with the answer.
  const { busy, problem: error, submit: send } = useSubmission(ignoreAnswer);
  const submit = async () => {
    const candidate = token.trim();
    if (candidate) await send(() => signIn(candidate));
  };
  return (
    <Layout style={{ minHeight: '100vh', alignItems: 'center', padding: '12vh 16px 16px' }}>
      <div style={{ width: '100%', maxWidth: 400 }}>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center', marginBottom: 16 }}>
          <Typography.Title level={3} style={{ margin: 0 }}>
            tagbase
          </Typography.Title>
          <LanguageSwitch />
        </div>
        <Card title={t('signIn.title')} data-testid="sign-in-page">
          {error ? (
            <Alert data-testid="sign-in-error" type="error" showIcon style={{ marginBottom: 16 }} message={t('signIn.failed')} description={error} />
          ) : (
            signInNotice && <Alert data-testid="sign-in-error" type="warning" showIcon style={{ marginBottom: 16 }} message={t('signIn.ended')} description={signInNotice} />
          )}
          <Form layout="vertical" onFinish={() => void submit()}>
            <Form.Item label={t('signIn.token')}>
              <Input.Password data-testid="token-input" prefix={<KeyOutlined />} placeholder="tb_…" autoComplete="current-password" autoFocus value={token} onChange={(event) => setToken(event.target.value)} />
            </Form.Item>
            <Button data-testid="sign-in" type="primary" htmlType="submit" block loading={busy} disabled={!token.trim()}>
              {t('signIn.submit')}
            </Button>
          </Form>
          <Typography.Paragraph type="secondary" style={{ marginTop: 16, marginBottom: 0 }}>
            {t('signIn.hint')}
            <br />
            <Typography.Text code>tagbase token create &lt;name&gt; --role operator</Typography.Text>
          </Typography.Paragraph>
        </Card>
      </div>
    </Layout>
  );
}
