// `tagbase serve` reads the web pages of other origins that may call the API from
// `--cors-origins`, else TAGBASE_CORS_ORIGINS; what is not an origin (a path, no scheme) stops it
// at start with one line naming the setting, rather than leaving a page's calls blocked unsaid.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { corsOriginsSetting } from '../../src/cli/cors-setting.js';
import { cliMessages } from '../../src/cli/messages.js';
import { BIN, ENGLISH, listeningAddress, tagbaseHere } from './run-tagbase.js';

vi.setConfig({ testTimeout: 120_000 });

const say = cliMessages('en');
const CHINESE = { LANG: 'zh_CN.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

describe('the CORS origins of tagbase serve', () => {
  it('takes the option before the variable, and an empty variable as unset', () => {
    expect(corsOriginsSetting(undefined, undefined, say)).toBeUndefined();
    expect(corsOriginsSetting(undefined, '  ', say)).toBeUndefined();
    expect(corsOriginsSetting(undefined, 'https://a.example.com', say)).toEqual({ any: false, origins: new Set(['https://a.example.com']) });
    expect(corsOriginsSetting('https://b.example.com', 'https://a.example.com', say)).toEqual({ any: false, origins: new Set(['https://b.example.com']) });
    expect(corsOriginsSetting(undefined, '*', say)).toEqual({ any: true });
    expect(() => corsOriginsSetting(undefined, 'https://a.example.com/sidebar', say)).toThrow('TAGBASE_CORS_ORIGINS lists origins');
    expect(() => corsOriginsSetting('a.example.com', 'https://a.example.com', say)).toThrow('"a.example.com" is not one');
    // An empty option is what a script's unset variable gives: refused, not read as no origin.
    expect(() => corsOriginsSetting('', undefined, say)).toThrow('--cors-origins lists origins');
  });

  it('stops the server at start on what is not an origin, in one line, in English and Chinese', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cors-')), 'store.db');
    expect((await tagbaseHere(['migrate', '--database', database], ENGLISH)).code).toBe(0);
    // A server that started anyway is stopped by the timeout, and has no status.
    const serve = (args: string[], env: Record<string, string>) => spawnSync(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database, ...args], { encoding: 'utf8', env: { ...process.env, ...env }, timeout: 30_000 });
    const path = serve([], { ...ENGLISH, TAGBASE_CORS_ORIGINS: 'https://crm.example.com,https://a.example.com/sidebar' });
    expect([path.status, path.stderr]).toEqual([
      1,
      'error: TAGBASE_CORS_ORIGINS lists origins, each a scheme, a host and a port if not the default, with nothing after, separated by commas (https://sidebar.example.com,http://localhost:5173), or is * alone; "https://a.example.com/sidebar" is not one\n',
    ]);
    const noScheme = serve(['--cors-origins', 'a.example.com'], CHINESE);
    expect(noScheme.status).toBe(1);
    expect(noScheme.stderr).toMatch(/^错误：--cors-origins 应列出源，.*「a\.example\.com」不是源\n$/);
  });

  it('answers a listed origin\'s preflight once started with the variable', async () => {
    const database = join(mkdtempSync(join(tmpdir(), 'tagbase-cors-')), 'store.db');
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--quiet', '--database', database], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...ENGLISH, TAGBASE_CORS_ORIGINS: 'https://sidebar.example.com' },
    });
    try {
      const address = await listeningAddress(child);
      const answer = await fetch(`${address}/api/v1/tags`, { method: 'OPTIONS', headers: { origin: 'https://sidebar.example.com', 'access-control-request-method': 'POST' } });
      expect([answer.status, answer.headers.get('access-control-allow-origin')]).toEqual([204, 'https://sidebar.example.com']);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
