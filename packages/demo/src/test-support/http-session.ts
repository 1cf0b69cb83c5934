import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';

/** A response as a browser session sees it: status, location, body text. */
export interface PageResponse {
  readonly status: number;
  readonly location: string | null;
  readonly text: string;
  readonly contentType: string;
  readonly headers: Headers;
}

/**
 * A minimal browser over fetch: keeps cookies, does not follow redirects (tests assert them),
 * and posts forms URL-encoded.
 */
export class HttpSession {
  readonly #base: string;
  readonly #cookies: Map<string, string>;

  constructor(base: string, cookies = new Map<string, string>()) {
    this.#base = base;
    this.#cookies = cookies;
  }

  /** The same browser (the same cookies) talking to another server, e.g. a second app instance. */
  on(base: string): HttpSession {
    return new HttpSession(base, this.#cookies);
  }

  /** The names of the cookies this browser holds. */
  get cookieNames(): string[] {
    return [...this.#cookies.keys()];
  }

  /** A session against a listening server. */
  static of(server: Server): HttpSession {
    return new HttpSession(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  }

  /** GET `path`. */
  get(path: string): Promise<PageResponse> {
    return this.#send(path, { method: 'GET' });
  }

  /** POST `fields` as a form to `path`. */
  post(path: string, fields: Record<string, string>): Promise<PageResponse> {
    return this.#send(path, {
      method: 'POST',
      body: new URLSearchParams(fields).toString(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
  }

  async #send(path: string, init: RequestInit): Promise<PageResponse> {
    const cookie = [...this.#cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.#base), {
      ...init,
      redirect: 'manual',
      headers: { ...(init.headers as Record<string, string>), ...(cookie ? { cookie } : {}) },
    });
    for (const header of response.headers.getSetCookie()) {
      const [pair] = header.split(';');
      const separator = pair!.indexOf('=');
      this.#cookies.set(pair!.slice(0, separator).trim(), pair!.slice(separator + 1).trim());
    }
    return {
      status: response.status,
      location: response.headers.get('location'),
      text: await response.text(),
      contentType: response.headers.get('content-type') ?? '',
      headers: response.headers,
    };
  }
}

/** The value of the hidden `_csrf` field of a page's form. */
export function csrfField(page: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(page);
  if (match === null) throw new Error('the page has no CSRF field');
  return match[1]!;
}
