// The console: session (workspace, actor or signed-in user, language) around the router, and
// the pages. Each page is its own chunk, loaded when first visited, so the first screen waits
// for one page only. A server that asks for an access token gets the sign-in screen first.
import { App as AntApp, ConfigProvider, Spin } from 'antd';
// The ES builds of the locales: the CommonJS ones reach the bundle wrapped in a second `default`,
// which antd does not read, and every picker, empty list and pager then speaks English.
import enUS from 'antd/es/locale/en_US';
import zhCN from 'antd/es/locale/zh_CN';
import { lazy, Suspense, type ReactNode } from 'react';
import { BrowserRouter, Route, Routes } from 'react-router';
import { AppShell } from './modules/app/components/AppShell';
import { NotFoundPage } from './modules/app/components/NotFoundPage';
import { SessionProvider } from './modules/app/components/SessionProvider';
import { SignInPage } from './modules/app/components/SignInPage';
import { useMediaQuery } from './modules/app/hooks/useMediaQuery';
import { useReducedMotion } from './modules/app/hooks/useReducedMotion';
import { useSession } from './modules/app/hooks/useSession';
import { ACCESSIBLE_COMPONENTS, ACCESSIBLE_TOKENS } from './modules/app/utils/accessibleTheme';

const OverviewPage = lazy(() => import('./modules/overview/components/OverviewPage').then((module) => ({ default: module.OverviewPage })));
const CustomersPage = lazy(() => import('./modules/customers/components/CustomersPage').then((module) => ({ default: module.CustomersPage })));
const PortraitPage = lazy(() => import('./modules/portrait/components/PortraitPage').then((module) => ({ default: module.PortraitPage })));
const SegmentsPage = lazy(() => import('./modules/segments/components/SegmentsPage').then((module) => ({ default: module.SegmentsPage })));
const TagLibraryPage = lazy(() => import('./modules/tags/components/TagLibraryPage').then((module) => ({ default: module.TagLibraryPage })));
const TransitionsPage = lazy(() => import('./modules/transitions/components/TransitionsPage').then((module) => ({ default: module.TransitionsPage })));
const CarePage = lazy(() => import('./modules/care/components/CarePage').then((module) => ({ default: module.CarePage })));
const ModelsPage = lazy(() => import('./modules/models/components/ModelsPage').then((module) => ({ default: module.ModelsPage })));
const ImportPage = lazy(() => import('./modules/imports/components/ImportPage').then((module) => ({ default: module.ImportPage })));
const AuditPage = lazy(() => import('./modules/audit/components/AuditPage').then((module) => ({ default: module.AuditPage })));
const TokensPage = lazy(() => import('./modules/tokens/components/TokensPage').then((module) => ({ default: module.TokensPage })));
const WebhooksPage = lazy(() => import('./modules/webhooks/components/WebhooksPage').then((module) => ({ default: module.WebhooksPage })));

/** Where messages start from the top: below a drawer's header, 65 px high (73 px where a touch screen's buttons are 40 px). */
const MESSAGE_TOP = 64;
const MESSAGE_TOP_TOUCH = 72;

const page = (element: ReactNode) => <Suspense fallback={<Spin />}>{element}</Suspense>;

function LocalizedRoutes() {
  const { lang, access, t } = useSession();
  const reducedMotion = useReducedMotion();
  // On a touch screen (a salesperson's phone) every button, field and select, the small ones too, is
  // 40 px high, a finger's width: at antd's 32 and 24 px the finger lands on the control beside.
  const touch = useMediaQuery('(pointer: coarse)');
  return (
    <ConfigProvider
      locale={lang === 'en-US' ? enUS : zhCN}
      theme={{
        token: { ...ACCESSIBLE_TOKENS, motion: !reducedMotion, ...(touch ? { controlHeight: 40, controlHeightSM: 40 } : {}) },
        // A segmented control's options sit inside its 2 px track: the track 44 px, each option 40.
        components: { ...ACCESSIBLE_COMPONENTS, ...(touch ? { Segmented: { controlHeight: 44, controlHeightSM: 44 } } : {}) },
      }}
      // A dialog's × is named "Close" by antd whatever the language; a drawer's speaks the console's.
      modal={{ closable: { 'aria-label': t('common.close') } }}
      // antd spaces out a button of two Chinese characters (快照 read as 快 照): the console's
      // buttons read as written, in both languages.
      button={{ autoInsertSpace: false }}
    >
      {/* Messages (已保存标签「…」) come below the height of a drawer's header: one opened again at once
          (the next tag to add) would have its title and × under the message for its few seconds. */}
      <AntApp message={{ top: touch ? MESSAGE_TOP_TOUCH : MESSAGE_TOP, getContainer: () => document.getElementById('messages') ?? document.body }}>{!access ? <Spin style={{ display: 'block', paddingTop: '30vh' }} /> : access.auth_required && !access.authenticated ? <SignInPage /> : <ConsoleRoutes />}</AntApp>
    </ConfigProvider>
  );
}

function ConsoleRoutes() {
  return (
    <BrowserRouter>
      <Routes>
        <Route element={<AppShell />}>
          <Route index element={page(<OverviewPage />)} />
          <Route path="customers" element={page(<CustomersPage />)} />
          <Route path="customers/:id" element={page(<PortraitPage />)} />
          <Route path="segments" element={page(<SegmentsPage />)} />
          <Route path="tags" element={page(<TagLibraryPage />)} />
          <Route path="transitions" element={page(<TransitionsPage />)} />
          <Route path="care" element={page(<CarePage />)} />
          <Route path="models" element={page(<ModelsPage />)} />
          <Route path="imports" element={page(<ImportPage />)} />
          <Route path="audit" element={page(<AuditPage />)} />
          <Route path="tokens" element={page(<TokensPage />)} />
          <Route path="webhooks" element={page(<WebhooksPage />)} />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </BrowserRouter>
  );
}

export function App() {
  return (
    <SessionProvider>
      <LocalizedRoutes />
    </SessionProvider>
  );
}
