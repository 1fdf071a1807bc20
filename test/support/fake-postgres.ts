// Just enough of PostgreSQL's protocol to refuse a client as a real server would: it declines
// SSL, asks for a SCRAM password, and sends the challenge the client must answer with it.
import { createServer, type Socket } from 'node:net';

function authentication(code: number, payload: Buffer): Buffer {
  const message = Buffer.alloc(9 + payload.length);
  message.write('R', 0);
  message.writeInt32BE(8 + payload.length, 1);
  message.writeInt32BE(code, 5);
  payload.copy(message, 9);
  return message;
}

export interface FakePostgres {
  port: number;
  close(): Promise<void>;
}

/**
 * A server asking for a password. With `hangUp`, it closes the connection once it has sent the
 * challenge; without, it keeps it open, as PostgreSQL does until its authentication timeout.
 */
export async function startPasswordAskingServer(options: { hangUp: boolean }): Promise<FakePostgres> {
  const open: Socket[] = [];
  const server = createServer((socket) => {
    open.push(socket);
    let startup = true;
    socket.on('data', (data) => {
      if (startup && data.length === 8 && data.readInt32BE(4) === 80877103) {
        socket.write('N');
        return;
      }
      if (startup) {
        startup = false;
        socket.write(authentication(10, Buffer.from('SCRAM-SHA-256\0\0')));
        return;
      }
      const challenge = authentication(11, Buffer.from('r=nonce,s=c2FsdA==,i=4096'));
      if (options.hangUp) socket.end(challenge);
      else socket.write(challenge);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    async close() {
      for (const socket of open) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
