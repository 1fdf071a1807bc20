// How a postgres:// URL's sslmode reaches the driver: as psql and pg_dump read it (require is
// encrypted, the certificate checked only against a CA of sslrootcert), and without the driver's
// warning on every start that its own reading is about to change.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgConnectionString } from '../../src/store/connect.js';

/** The TLS options pg would connect with (none: a connection in the clear). */
function sslOf(url: string): unknown {
  // The client's parameters are what it connects with; reading them opens no connection.
  const client = new pg.Client({ connectionString: pgConnectionString(url) }) as unknown as { connectionParameters: { ssl: unknown } };
  return client.connectionParameters.ssl;
}

describe('sslmode in a postgres:// URL', () => {
  const warnings: string[] = [];
  const listen = (warning: Error) => warnings.push(warning.message);
  beforeAll(() => process.on('warning', listen));
  afterAll(() => process.off('warning', listen));

  it('reads require as encrypted without checking the certificate, and the driver says nothing', async () => {
    const required = sslOf('postgres://tagbase:secret@db.example.com:5432/tagbase?sslmode=require');
    const preferred = sslOf('postgres://tagbase@db.example.com/tagbase?application_name=crm&sslmode=prefer');
    // allow (in the clear first, SSL where the server asks for it) is read as prefer: it connects wherever psql does.
    const allowed = sslOf('postgres://tagbase@db.example.com/tagbase?sslmode=allow');
    // Warnings are emitted on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect(warnings).toEqual([]);
    expect(required).toEqual({ rejectUnauthorized: false });
    expect(preferred).toEqual({ rejectUnauthorized: false });
    expect(allowed).toEqual({ rejectUnauthorized: false });
  });

  it('leaves the other modes, and a URL that already chose its reading, as they are', () => {
    const unchanged = [
      'postgres://tagbase@db.example.com/tagbase',
      'postgres://tagbase@db.example.com/tagbase?sslmode=verify-full',
      'postgres://tagbase@db.example.com/tagbase?sslmode=disable',
      'postgres://tagbase@db.example.com/tagbase?sslmode=no-verify',
      'postgres://tagbase@db.example.com/tagbase?sslmode=require&uselibpqcompat=true',
      'postgres://tagbase@db.example.com/tagbase?sslmode=requires',
    ];
    for (const url of unchanged) expect(pgConnectionString(url), url).toBe(url);
    expect(sslOf('postgres://tagbase@db.example.com/tagbase?sslmode=verify-full')).toEqual({});
    expect(sslOf('postgres://tagbase@db.example.com/tagbase?sslmode=no-verify')).toEqual({ rejectUnauthorized: false });
    expect(sslOf('postgres://tagbase@db.example.com/tagbase?sslmode=disable')).toBe(false);
  });

  it('keeps the rest of the URL as it was', () => {
    expect(pgConnectionString('postgresql://tagbase:p%40ss@db.example.com/tagbase?sslmode=require&options=-c%20search_path%3Dtagbase')).toBe(
      'postgresql://tagbase:p%40ss@db.example.com/tagbase?sslmode=require&options=-c%20search_path%3Dtagbase&uselibpqcompat=true',
    );
  });
});
