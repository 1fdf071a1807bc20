// The port `tagbase serve` listens on: --port, else PORT, else 8080. An empty or blank PORT= (a
// unit's `Environment=PORT=`, a compose file's unset `${PORT}`) is the default, not port 0, which
// listened on a port of the system's choosing that no health check knew; a value it cannot use
// is refused naming where it came from.
import { describe, expect, it } from 'vitest';
import { cliMessages } from '../../src/cli/messages.js';
import { listenPort } from '../../src/cli/serve.js';
import { tagbaseHere } from './run-tagbase.js';

const ENGLISH = { LC_ALL: '', LC_MESSAGES: '', LANG: 'en_US.UTF-8' };
const say = cliMessages('en');

describe('the port to listen on', () => {
  it('is --port, else PORT, else 8080, an empty or blank PORT being unset', () => {
    expect(listenPort(undefined, undefined, say)).toBe(8080);
    expect(listenPort(undefined, '', say)).toBe(8080);
    expect(listenPort(undefined, '  ', say)).toBe(8080);
    expect(listenPort(undefined, '9000', say)).toBe(9000);
    expect(listenPort(undefined, ' 9000 ', say)).toBe(9000);
    expect(listenPort('0', '9000', say)).toBe(0);
    expect(listenPort('8341', undefined, say)).toBe(8341);
  });

  it('refuses what is no port, naming PORT or --port', () => {
    for (const value of ['abc', '99999', '-1', '8080.5', '1e3', '0x50']) {
      expect(() => listenPort(undefined, value, say), value).toThrow(`PORT must be a whole number from 0 to 65535; got "${value}"`);
      expect(() => listenPort(value, undefined, say), value).toThrow(`--port must be a whole number from 0 to 65535; got "${value}"`);
    }
    // An empty --port is given, not left out.
    expect(() => listenPort('', undefined, say)).toThrow('--port must be a whole number from 0 to 65535; got ""');
    expect(() => listenPort(undefined, 'abc', cliMessages('zh-CN'))).toThrow('PORT 必须是 0 到 65535 之间的整数；收到的是「abc」');
  });

  it('stops the server at start in one line', async () => {
    const result = await tagbaseHere(['serve', '--database', ':memory:'], { ...ENGLISH, PORT: 'http' });
    expect([result.code, result.stderr]).toEqual([1, 'error: PORT must be a whole number from 0 to 65535; got "http"\n']);
  });
});
