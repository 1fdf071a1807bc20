// The web console in a real browser (Debian's Chromium through playwright-core) against an
// in-process server over a demo store in a temporary SQLite file: what every browser test starts from.
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { buildServer } from '../../src/api/server.js';
import { AccessTokenDirectory, createAccessToken } from '../../src/engine/access-tokens.js';
import { ensureDefaultWorkspace } from '../../src/engine/workspaces.js';
import { runDemo } from '../../src/engine/demo/run-demo.js';
import { buildConsole, consoleOutdated } from '../../src/cli/serve.js';
import { systemClock } from '../../src/core/time.js';
import { IndexRegistry } from '../../src/index/registry.js';
import { openStore, type Store } from '../../src/store/connect.js';

export const CHROMIUM = '/usr/bin/chromium';

/** CI must run the browser tests; elsewhere a machine without Chromium skips them and says why. */
export function consoleRunnable(what: string): boolean {
  const runnable = existsSync(CHROMIUM) || Boolean(process.env.CI);
  if (!runnable) console.warn(`skipping ${what}: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  return runnable;
}

export interface ConsoleSession {
  store: Store;
  app: FastifyInstance;
  browser: Browser;
  page: Page;
  /** The server's address, `http://127.0.0.1:<port>`. */
  base: string;
}

export interface ConsoleOptions {
  /** Names the temporary folder of the store. */
  name: string;
  /** The demo store filled before the server starts; none for a new installation. */
  demo: { customers: number; eventsPerCustomer: number; seed: number } | null;
  /** Runs on the store before the server starts (so that its first look at the store sees it). */
  prepare?: (store: Store) => Promise<void>;
  /** How long the server trusts what it read of the access tokens (`TOKEN_CACHE_MS` unless given). */
  tokensReadEveryMs?: number;
}

/** Builds the console when its sources changed, fills a demo store, serves it, and opens a page on a desktop screen. */
export async function startConsole(options: ConsoleOptions): Promise<ConsoleSession> {
  if (consoleOutdated()) await buildConsole();
  const store = await openStore(join(mkdtempSync(join(tmpdir(), `tagbase-${options.name}-`)), 'store.db'));
  await store.migrate();
  if (options.demo) await runDemo(store, { workspace: 'demo', ...options.demo, now: systemClock });
  await options.prepare?.(store);
  const accessTokens = options.tokensReadEveryMs === undefined ? {} : { accessTokens: new AccessTokenDirectory(store, options.tokensReadEveryMs, systemClock) };
  const app = await buildServer({ store, now: systemClock, index: new IndexRegistry(store), ...accessTokens });
  const base = await app.listen({ host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  // As a reader whose system asks for less motion: the console then opens dialogs and menus at
  // once, and a step need not wait for an animation to settle before its click.
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'zh-CN', reducedMotion: 'reduce' });
  page.setDefaultTimeout(30_000);
  return { store, app, browser, page, base };
}

export async function stopConsole(session: Partial<ConsoleSession>): Promise<void> {
  await session.browser?.close();
  await session.app?.close();
  await session.store?.close();
}

/** What the page showed when a step failed, for whoever reads the failure. */
export async function screenshotFailure(page: Page | undefined, name: string, task: { name: string; result?: { state?: string } }): Promise<void> {
  if (task.result?.state === 'fail') await page?.screenshot({ path: join(tmpdir(), `tagbase-${name}-failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}.png`) });
}

/** Chooses an option of an Ant Design select by its text. */
export async function pick(page: Page, testId: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await clickOption(page, testId, option);
}

/** Chooses an option of a searchable select by typing part of it first (long lists render only what is in view). */
export async function choose(page: Page, testId: string, typed: string, option: string): Promise<void> {
  await page.getByTestId(testId).click();
  await page.keyboard.type(typed);
  await clickOption(page, testId, option);
}

/**
 * Clicks the option in the open list and waits until the select shows it. On a busy machine a
 * click can land while the list is still opening or re-rendering and be lost: the list then
 * stays open over whatever comes next, so the option is clicked again (only while the select
 * does not show it yet, so that a multiple select is never toggled back).
 */
async function clickOption(page: Page, testId: string, option: string): Promise<void> {
  const open = page.locator('.ant-select-dropdown:visible');
  const choice = open.locator('.ant-select-item-option').filter({ hasText: new RegExp(`^${option}$`) }).first();
  const shown = async () => ((await page.getByTestId(testId).textContent()) ?? '').includes(option);
  for (let attempt = 1; ; attempt++) {
    // A list still closing from the select before counts as open: then the click on this select
    // comes on the next attempt.
    if ((await open.count()) === 0) await page.getByTestId(testId).click();
    await choice.click({ timeout: 10_000 }).catch((error: unknown) => {
      if (attempt === 3) throw error;
    });
    try {
      await expect.poll(shown, { timeout: 5_000 }).toBe(true);
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/**
 * Waits until the open dialog holds the focus. antd moves the focus into a dialog at the end of
 * its opening, and Esc is heard only from inside it: a key pressed before that goes to the page.
 */
/** What holds the focus, by its test id, else its accessible label, else its tag name. */
export function focusedControl(page: Page): Promise<string> {
  return page.evaluate<string>("document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName ?? ''");
}

export async function dialogFocused(page: Page): Promise<void> {
  await expect.poll(() => page.evaluate<boolean>("[...document.querySelectorAll('.ant-modal-wrap')].some((wrap) => wrap.contains(document.activeElement))")).toBe(true);
}

/**
 * Answers the open confirmation dialog (`modal.confirm`) with the button of that name, and waits
 * until it is gone. On a busy machine a click landing while the dialog still zooms in can be
 * lost, so the button is clicked again while the dialog stays.
 */
export async function answerConfirm(page: Page, button: string): Promise<void> {
  const dialog = page.locator('.ant-modal-confirm');
  for (let attempt = 1; ; attempt++) {
    await dialog.getByRole('button', { name: button }).click();
    try {
      await dialog.waitFor({ state: 'detached', timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
}

/** The roles a reader acts on, which a screen reader must be able to name. */
const CONTROL_ROLES = 'button|checkbox|combobox|link|menuitem|radio|radiogroup|searchbox|slider|spinbutton|switch|tab|textbox';
const UNNAMED = new RegExp(`^\\s*- (?:${CONTROL_ROLES})(?: \\[[^\\]]*\\])*(?::.*)?$`);
/**
 * antd's own names, in English whatever the console's language, and saying nothing of what the
 * control is for: a number field's arrows among them, which a screen reader's list of buttons reads out.
 */
const ANTD_DEFAULT_NAME = /"(?:segmented control|Select all|Custom selection|Increase Value|Decrease Value)"/;

/**
 * The controls in `scope` (the page unless given) that a screen reader would announce without a
 * name, or by antd's English default name, as the lines of Playwright's accessibility snapshot
 * that show them.
 */
export async function unnamedControls(page: Page, scope = 'body'): Promise<string[]> {
  const snapshot = await page.locator(scope).first().ariaSnapshot();
  return snapshot
    .split('\n')
    .filter((line) => UNNAMED.test(line) || ANTD_DEFAULT_NAME.test(line))
    .map((line) => line.trim());
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The serious and critical rules axe finds broken within the element of `testId`, by rule and element. */
export async function seriousAxeViolations(page: Page, testId: string): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  return page.evaluate<string[]>(`axe.run(document.querySelector(${JSON.stringify(`[data-testid="${testId}"]`)}), { resultTypes: ['violations'] }).then((result) =>
  result.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical').map((violation) => violation.id + ' at ' + violation.nodes.map((node) => node.target.join(' ')).join(' | ')))`);
}

/**
 * Sets a browser test's data up through the API the console reads: the call must succeed (its
 * answer in the failure's message otherwise), and gives back the answer's JSON, if any. The
 * headers choose the workspace (the demo by default) and the token.
 */
export async function callApi(base: string, method: string, path: string, body?: unknown, headers: Record<string, string> = { 'x-tagbase-workspace': 'demo' }): Promise<unknown> {
  const response = await fetch(`${base}/api/v1${path}`, { method, headers: { ...headers, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await response.text();
  expect(response.status, `${method} ${path}: ${text}`).toBeLessThan(300);
  return text === '' ? undefined : (JSON.parse(text) as unknown);
}

/** A salesperson's phone, as the console's phone tests hold it. */
export const PHONE = { width: 390, height: 844 };

/** A phone's browser: a finger to tap with, no mouse (the console's controls are 40 px high then). */
export async function phonePage(browser: Browser): Promise<{ context: BrowserContext; phone: Page }> {
  const context = await browser.newContext({ viewport: PHONE, locale: 'zh-CN', deviceScaleFactor: 2, isMobile: true, hasTouch: true, reducedMotion: 'reduce' });
  const phone = await context.newPage();
  phone.setDefaultTimeout(30_000);
  return { context, phone };
}

/** Opens the console at `base` on `page` as the holder of `token`, in `workspace` and `lang`. */
export async function signInAs(page: Page, base: string, token: string, lang: 'zh-CN' | 'en-US', workspace = 'default'): Promise<void> {
  await page.goto(base);
  await page.evaluate(`localStorage.setItem('tagbase.token', ${JSON.stringify(token)}); localStorage.setItem('tagbase.workspace', ${JSON.stringify(workspace)}); localStorage.setItem('tagbase.lang', ${JSON.stringify(lang)})`);
}

/**
 * Opens `url` on `page` in `lang` (and in `workspace`, if given), as the console remembers them. A
 * page on the console's origin already has them stored first, and loads the console once; a page
 * not there yet opens it, then reloads it.
 */
export async function openInLanguage(page: Page, url: string, lang: 'zh-CN' | 'en-US', workspace?: string): Promise<void> {
  const remember = `localStorage.setItem('tagbase.lang', ${JSON.stringify(lang)})${workspace === undefined ? '' : `; localStorage.setItem('tagbase.workspace', ${JSON.stringify(workspace)})`}`;
  if (page.url().startsWith(`${new URL(url).origin}/`)) {
    await page.evaluate(remember);
    await page.goto(url);
  } else {
    await page.goto(url);
    await page.evaluate(remember);
    await page.reload();
  }
}

/** Whether the page fits its width: nothing to scroll sideways to. */
export function fitsWidth(page: Page): Promise<boolean> {
  return page.evaluate<boolean>('document.documentElement.scrollWidth <= document.documentElement.clientWidth');
}

/** A console over a new installation's default workspace, where an administrator's token is required. */
export interface SignedInConsole {
  session: ConsoleSession;
  /** The administrator's token. */
  admin: string;
  /** `callApi` in the default workspace as the administrator. */
  call(method: string, path: string, body?: unknown): Promise<unknown>;
  /** Opens the console signed in as the administrator, in the default workspace (once the data is set up). */
  signIn(): Promise<void>;
}

export async function startSignedInConsole(name: string): Promise<SignedInConsole> {
  let admin = '';
  const session = await startConsole({
    name,
    demo: null,
    prepare: async (store) => {
      await ensureDefaultWorkspace(store, systemClock);
      admin = (await createAccessToken(store, { name: 'Alice', role: 'admin' }, systemClock())).token;
    },
  });
  const headers = () => ({ 'x-tagbase-workspace': 'default', authorization: `Bearer ${admin}` });
  return {
    session,
    admin,
    call: (method, path, body) => callApi(session.base, method, path, body, headers()),
    signIn: async () => {
      await session.page.goto(session.base);
      await session.page.evaluate(`localStorage.setItem('tagbase.token', ${JSON.stringify(admin)}); localStorage.setItem('tagbase.workspace', 'default')`);
    },
  };
}
