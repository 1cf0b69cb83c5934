import { HttpClient } from './http-client.js';
import type { OpenApiChecker } from './openapi-checker.js';

/** A parsed JSON answer. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
}

/**
 * A client of the JSON API mounted at `/api/2fa`, with a cookie jar; with a checker, every answer
 * is checked against docs/openapi.yaml.
 */
export class ApiClient {
  readonly http: HttpClient;
  readonly #checker: OpenApiChecker | undefined;

  constructor(url: string, checker?: OpenApiChecker) {
    this.http = new HttpClient(url);
    this.#checker = checker;
  }

  /** A client whose session is logged in as `userId` (password only) through the test app's `/test/login`. */
  static async loggedIn(url: string, userId: number, checker?: OpenApiChecker): Promise<ApiClient> {
    const client = new ApiClient(url, checker);
    await client.http.request('/test/login', { json: { userId } });
    return client;
  }

  async send(method: string, path: string, json?: unknown, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
    const response = await this.http.request(`/api/2fa${path}`, {
      method,
      ...(json === undefined ? {} : { json }),
      ...(init.body === undefined ? {} : { body: init.body }),
      headers: { accept: 'application/json', ...init.headers },
    });
    const text = await response.text();
    const body = text === '' ? null : JSON.parse(text);
    this.#checker?.check(method, path, response.status, response.headers, body);
    return { status: response.status, body, headers: response.headers };
  }

  get = (path: string) => this.send('GET', path);
  post = (path: string, json: unknown = {}) => this.send('POST', path, json);
  put = (path: string, json: unknown = {}) => this.send('PUT', path, json);
  delete = (path: string) => this.send('DELETE', path);

  /** `GET /whoami` of the test app: the user, whether verified, and with which device. */
  async whoami(): Promise<{ userId: string | null; verified: boolean; device: string | null }> {
    return (await this.http.getJson('/whoami')).body;
  }
}
