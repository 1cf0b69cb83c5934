import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoErrorHandler } from './error-handler.js';

const logged: unknown[] = [];
let server: ReturnType<express.Express['listen']>;
let base: string;

beforeAll(async () => {
  const app = express();
  app.get('/boom', () => {
    throw new Error('database password is hunter2');
  });
  app.get('/teapot', () => {
    throw Object.assign(new Error('echo <script>alert(1)</script>'), { status: 418 });
  });
  app.post('/form', express.urlencoded({ extended: false, limit: '10b' }), (_req, res) => void res.end());
  app.use(demoErrorHandler((error) => logged.push(error)));
  server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

it('answers an internal error with a generic 500 page, never its message or stack, and logs it', async () => {
  const response = await fetch(`${base}/boom`);
  expect(response.status).toBe(500);
  const text = await response.text();
  expect(text).toContain('Something went wrong');
  expect(text).not.toMatch(/hunter2|Error|\.ts:\d+|node_modules/);
  expect(logged).toHaveLength(1);
});

it("answers a client error with its status and a fixed text, never the error's message", async () => {
  const teapot = await fetch(`${base}/teapot`);
  expect(teapot.status).toBe(418);
  expect(await teapot.text()).not.toContain('script');
  const large = await fetch(`${base}/form`, { method: 'POST', body: 'a='.padEnd(100, 'b'), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  expect(large.status).toBe(413);
  expect(await large.text()).toContain('too large');
  expect(logged).toHaveLength(1);
});
