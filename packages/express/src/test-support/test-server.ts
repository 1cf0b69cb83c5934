import type { AddressInfo } from 'node:net';
import express, { type Express } from 'express';
import session from 'express-session';

/** A running Express app on 127.0.0.1 and how to stop it. */
export interface TestServer {
  readonly url: string;
  close(): Promise<void>;
}

/** An Express app with express-session (cookie `otpkit.sid`), configured by `configure`, listening on a free port. */
export async function startTestServer(configure: (app: Express) => void): Promise<TestServer> {
  const app = express();
  app.use(
    session({
      name: 'otpkit.sid',
      secret: 'test-session-secret-test-session-secret',
      resave: false,
      saveUninitialized: false,
      cookie: { httpOnly: true, sameSite: 'lax' },
    }),
  );
  configure(app);
  return serveApp(app);
}

/** Serves `app` on 127.0.0.1 at a free port. */
export async function serveApp(app: Express): Promise<TestServer> {
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
