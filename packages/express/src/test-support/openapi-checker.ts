import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';

const SPEC_PATH = new URL('../../../../docs/openapi.yaml', import.meta.url);

interface Operation {
  readonly template: string;
  readonly pattern: RegExp;
  readonly method: string;
  readonly responses: Record<string, { $ref?: string; content?: Record<string, unknown>; headers?: Record<string, unknown> }>;
}

const pointer = (parts: readonly string[]) => parts.map((part) => part.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks real responses against docs/openapi.yaml: the operation and status must be documented,
 * the JSON body must match the schema (ajv, JSON Schema 2020-12), a documented page must be HTML,
 * and documented headers must be present. Records which (operation, status) pairs were seen.
 */
export class OpenApiChecker {
  readonly spec = parse(readFileSync(SPEC_PATH, 'utf8'));
  readonly seen = new Set<string>();
  readonly #ajv = new Ajv2020({ strict: false, allErrors: true });
  readonly #operations: Operation[] = [];

  constructor() {
    this.#ajv.addSchema(this.spec, 'openapi.json');
    for (const [template, item] of Object.entries<Record<string, any>>(this.spec.paths)) {
      const pattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const method of ['get', 'post', 'delete', 'put', 'patch']) {
        if (item[method] !== undefined) this.#operations.push({ template, pattern, method, responses: item[method].responses });
      }
    }
  }

  /** Every documented `METHOD template status` pair. */
  documented(): string[] {
    return this.#operations.flatMap(({ template, method, responses }) => Object.keys(responses).map((status) => `${method.toUpperCase()} ${template} ${status}`));
  }

  /** Throws unless the response is documented and matches. `path` is relative to the mount point. */
  check(method: string, path: string, status: number, headers: Headers, body: unknown): void {
    const operation = this.#operations.find((o) => o.method === method.toLowerCase() && o.pattern.test(path.replace(/\?.*/, '')));
    if (operation === undefined) throw new Error(`${method} ${path} is not in docs/openapi.yaml`);
    let response: any = operation.responses[String(status)];
    if (response === undefined) throw new Error(`${method} ${operation.template} does not document status ${status}: ${JSON.stringify(body)}`);
    let location = ['paths', operation.template, operation.method, 'responses', String(status)];
    if (response.$ref !== undefined) {
      location = response.$ref.slice(2).split('/');
      response = location.reduce((node: any, key) => node[key], this.spec);
    }
    for (const name of Object.keys(response.headers ?? {})) {
      if (headers.get(name) === null) throw new Error(`${method} ${path} ${status} lacks the documented ${name} header`);
    }
    if (response.content === undefined) {
      if (body !== null) throw new Error(`${method} ${path} ${status} should have no body`);
    } else if (response.content['text/html'] !== undefined) {
      if (!headers.get('content-type')?.startsWith('text/html')) throw new Error(`${method} ${path} ${status} should be a page (text/html)`);
    } else {
      const validate = this.#ajv.getSchema(`openapi.json#/${pointer([...location, 'content', 'application/json', 'schema'])}`)!;
      if (!validate(body)) throw new Error(`${method} ${path} ${status} does not match the spec: ${this.#ajv.errorsText(validate.errors)}\n${JSON.stringify(body)}`);
    }
    this.seen.add(`${method.toUpperCase()} ${operation.template} ${status}`);
  }
}
