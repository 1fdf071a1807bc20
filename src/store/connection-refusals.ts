// How a store that could not be reached, or would not let a URL in, is said in words: shared by
// the migrations (every command's first statement) and whatever else a command asks first.
import { TagbaseError } from '../core/errors.js';
import { localized, type LocalizedText } from '../core/locale.js';
import { isStoreUnavailable } from './unavailable.js';

/** STORE_UNAVAILABLE naming the store in words, for an error that says it cannot be reached; undefined for any other. */
export function unreachableStore(error: unknown, location: string): TagbaseError | undefined {
  return isStoreUnavailable(error) ? new TagbaseError('STORE_UNAVAILABLE', { detail: unreachable(error, location) }) : undefined;
}

/**
 * The server answered but would not let the URL in: the database it names does not exist, the
 * user or password is not accepted (or no pg_hba.conf line admits it), a password it asks for is
 * missing, or SSL the URL asks for is not offered. Not a passing
 * outage, so not STORE_UNAVAILABLE, nor a refused input (VALIDATION_FAILED): STORE_REFUSED, the
 * URL or the server's settings to be put right. Said with the URL it tried and what to do, where
 * the driver's words alone ("database "x" does not exist") named neither.
 */
export function refusedConnection(error: unknown, location: string): TagbaseError | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  const said = error instanceof Error ? error.message : '';
  if (code === '3D000') {
    return new TagbaseError('STORE_REFUSED', {
      detail: localized(
        `${location}: ${said}: create the database first (create database …), or name one that exists`,
        `${location}：${said}：请先创建该数据库（create database …），或改用已有的数据库`,
      ),
    });
  }
  if (/^SASL: .*client password must be a (non-empty )?string/.test(said)) {
    return new TagbaseError('STORE_REFUSED', {
      detail: localized(
        `${location}: the server asks for a password and the URL gives none: write it in the URL (postgres://user:password@host/db), or set PGPASSWORD`,
        `${location}：服务器要求密码，而地址中没有：请写在地址里（postgres://user:password@host/db），或设置 PGPASSWORD`,
      ),
    });
  }
  if (said === 'The server does not support SSL connections') {
    return new TagbaseError('STORE_REFUSED', {
      detail: localized(
        `${location}: the URL asks for SSL (sslmode) and the server does not offer it: take sslmode out of the URL, or turn SSL on in the server`,
        `${location}：地址要求 SSL（sslmode），而服务器不支持：请去掉地址中的 sslmode，或在服务器上开启 SSL`,
      ),
    });
  }
  if (code === '28000' || code === '28P01') {
    return new TagbaseError('STORE_REFUSED', {
      detail: localized(
        `${location}: ${said}: check the user and password the URL gives`,
        `${location}：${said}：请检查地址中的用户名和密码`,
      ),
    });
  }
  return undefined;
}

/**
 * Why the server was not reached, in words where the socket's code says it (a port where nothing
 * listens, a host name not found), the driver's words kept after them for whoever searches them.
 */
function unreachable(error: unknown, location: string): string | LocalizedText {
  const { code, address, port, hostname } = error as { code?: unknown; address?: unknown; port?: unknown; hostname?: unknown };
  const said = error instanceof Error ? error.message : String(error);
  if (code === 'ECONNREFUSED' && typeof address === 'string') {
    const at = typeof port === 'number' ? `${address}:${port}` : address;
    return localized(
      `${location}: connection refused at ${at}: is PostgreSQL running there, and on that port? (${said})`,
      `${location}：连接被拒绝：${at} 上没有程序在监听，请检查 PostgreSQL 是否在运行、端口是否正确（${said}）`,
    );
  }
  if ((code === 'ENOTFOUND' || code === 'EAI_AGAIN') && typeof hostname === 'string') {
    return localized(`${location}: no such host name ${hostname}: check the host the URL gives (${said})`, `${location}：找不到主机名 ${hostname}：请检查地址中的主机（${said}）`);
  }
  return `${location} (${said})`;
}

/**
 * A new connection the server turned away while the store was open (a role dropped or made
 * NOLOGIN, a password changed, a pg_hba.conf line taken out): not a passing outage, so not
 * STORE_UNAVAILABLE. A database dropped under a running server is one (3D000): it is answered as
 * an outage until it is back, as a restore does.
 */
export function isConnectionRefused(error: unknown): boolean {
  return (error as { code?: unknown } | undefined)?.code !== '3D000' && refusedConnection(error, '') !== undefined;
}
