/** A fetch client with a cookie jar, for tests against a real server. Never follows redirects. */
export class HttpClient {
  readonly baseUrl: string;
  readonly cookies = new Map<string, string>();
  /** Headers every request sends (a client address in `X-Forwarded-For`, say). */
  readonly headers: Record<string, string> = {};

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl;
  }

  /** Sends a request; `json` sends a JSON body, `form` a urlencoded one. Stores the cookies set. */
  async request(
    path: string,
    init: { method?: string; json?: unknown; form?: Record<string, string>; body?: string; headers?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = { ...this.headers, ...init.headers };
    let body: string | undefined = init.body;
    if (init.json !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(init.json);
    } else if (init.form !== undefined) {
      headers['content-type'] ??= 'application/x-www-form-urlencoded';
      body = new URLSearchParams(init.form).toString();
    }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(new URL(path, this.baseUrl), {
      method: init.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      redirect: 'manual',
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(';');
      const at = pair!.indexOf('=');
      const name = pair!.slice(0, at).trim();
      const value = pair!.slice(at + 1).trim();
      const expired = attributes.some((a) => /^\s*expires=thu, 01 jan 1970/i.test(a)) || attributes.some((a) => /^\s*max-age=0\b/i.test(a));
      if (expired || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return response;
  }

  /** GET with `Accept: application/json`, parsed. */
  async getJson(path: string): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await this.request(path, { headers: { accept: 'application/json' } });
    return { status: response.status, body: await response.json(), headers: response.headers };
  }

  /** Sends JSON with `Accept: application/json`, parsed. */
  async sendJson(path: string, json: unknown, method = 'POST'): Promise<{ status: number; body: any; headers: Headers }> {
    const response = await this.request(path, { method, json, headers: { accept: 'application/json' } });
    const text = await response.text();
    return { status: response.status, body: text === '' ? null : JSON.parse(text), headers: response.headers };
  }

  /** The session cookie's value. */
  get sessionId(): string | undefined {
    return this.cookies.get('otpkit.sid');
  }
}
