import { readFileSync } from 'node:fs';
import type { Request, RequestHandler } from 'express';
import { ConfigurationError, type Otp } from '@otpkit/core';

/** The browser scripts of an otp instance's plugins, served from the router's own origin. */
export interface BrowserAssets {
  /** Whether the plugin of `type` has a browser script (its devices are answered in the page). */
  has(type: string): boolean;
  /** The script's URL under the router (`/account/assets/webauthn.js`). */
  url(req: Request, type: string): string;
  /** Serves `GET /assets/:file`. */
  readonly handler: RequestHandler;
}

/**
 * Reads each plugin's `browserScript` once, at start-up, and serves it as `<type>.js` with a
 * JavaScript content type and `nosniff`, so a `script-src 'self'` policy allows it and nothing
 * else can be served under that name.
 * @throws ConfigurationError when a plugin's script cannot be read.
 */
export function browserAssets(otp: Otp): BrowserAssets {
  const files = new Map<string, string>();
  for (const plugin of otp.plugins) {
    if (plugin.browserScript === undefined) continue;
    try {
      files.set(`${plugin.type}.js`, readFileSync(plugin.browserScript, 'utf8'));
    } catch (error) {
      throw new ConfigurationError(`the browser script of the ${plugin.type} plugin cannot be read (${plugin.browserScript}): reinstall the plugin package`, { cause: error });
    }
  }
  return {
    has: (type) => files.has(`${type}.js`),
    url: (req, type) => `${req.baseUrl}/assets/${type}.js`,
    handler: (req, res, next) => {
      const body = files.get(String(req.params.file));
      if (body === undefined) return next();
      res.set({ 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' }).send(body);
    },
  };
}
