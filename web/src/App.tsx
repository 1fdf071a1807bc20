// The console: session (workspace, actor, language) around the router, and the pages.
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppShell } from './modules/app/components/AppShell';
import { SessionProvider } from './modules/app/components/SessionProvider';
import { useSession } from './modules/app/hooks/useSession';
import { CustomersPage } from './modules/customers/components/CustomersPage';
import { OverviewPage } from './modules/overview/components/OverviewPage';
import { PortraitPage } from './modules/portrait/components/PortraitPage';
import { SegmentsPage } from './modules/segments/components/SegmentsPage';
import { TagLibraryPage } from './modules/tags/components/TagLibraryPage';

function LocalizedRoutes() {
  const { lang } = useSession();
  return (
    <ConfigProvider locale={lang === 'en-US' ? enUS : zhCN} theme={{ token: { colorPrimary: '#1677ff' } }}>
      <AntApp>
        <BrowserRouter>
          <Routes>
            <Route element={<AppShell />}>
              <Route index element={<OverviewPage />} />
              <Route path="customers" element={<CustomersPage />} />
              <Route path="customers/:id" element={<PortraitPage />} />
              <Route path="segments" element={<SegmentsPage />} />
              <Route path="tags" element={<TagLibraryPage />} />
            </Route>
          </Routes>
        </BrowserRouter>
      </AntApp>
    </ConfigProvider>
  );
}

export function App() {
  return (
    <SessionProvider>
      <LocalizedRoutes />
    </SessionProvider>
  );
}
