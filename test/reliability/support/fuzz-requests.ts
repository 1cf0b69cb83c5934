/**
 * fast-check arbitraries of malformed HTTP requests to the JSON two-factor API and the login and
 * token forms. Every request is one the server must refuse before it changes anything: token
 * fields never hold a well-formed token, device fields never name a real device, names and
 * addresses are never acceptable, and bodies are often not even parseable.
 */
import fc from 'fast-check';

/** A request to send; `body` may hold `__CSRF__`, replaced by the session's CSRF token when `csrf` is set. */
export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  readonly csrf: boolean;
}

/** Values of the wrong JSON type for any field. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.string({ maxLength: 8 }), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 3 }),
);

/** Text with at least one character no token, name or persistent id may hold, possibly lone surrogates. */
const poisoned = fc
  .tuple(
    fc.string({ maxLength: 20 }),
    fc.constantFrom('\u0000', '<', '"', '\\', '%', '\u202e', '\ud800', '\udfff', '/', '.', '🙂', '\u0085'),
    fc.string({ maxLength: 20 }),
  )
  .map(([head, bad, tail]) => `${head}${bad}${tail}`);
const tooLong = (min: number) => fc.string({ minLength: min + 1, maxLength: min + 300 });
const blank = fc.string({ unit: fc.constantFrom(' ', '\t', '\n', '\u00a0'), maxLength: 6 });

/** A bad value for each field the API reads. */
function badValue(knownIds: readonly string[]): Record<string, fc.Arbitrary<unknown>> {
  const notADevice = fc.oneof(poisoned, tooLong(64), fc.constant(''), fc.constantFrom(...knownIds).map((id) => `${id}0000000`));
  return {
    token: fc.oneof(wrongType, poisoned, tooLong(128), fc.constant(''), blank),
    device: fc.oneof(wrongType, notADevice),
    remember: fc.oneof(fc.integer(), fc.string({ maxLength: 5 }), fc.constant(null), fc.array(fc.boolean(), { maxLength: 2 })),
    name: fc.oneof(wrongType, tooLong(64), blank),
    email: fc.oneof(wrongType, tooLong(254), fc.string({ maxLength: 2 })),
    number: fc.oneof(wrongType, tooLong(32), fc.string({ maxLength: 2 })),
  };
}

/**
 * The API's routes and the fields each reads, the first one required when `strict` (only those get
 * JSON without it: a route whose fields are all optional acts on `{}`). `{id}` becomes a path of bad
 * device segments.
 */
const API_ROUTES: readonly { method: string; path: string; fields: readonly string[]; strict: boolean }[] = [
  { method: 'POST', path: '/api/2fa/validate', fields: ['token', 'device', 'remember'], strict: true },
  { method: 'POST', path: '/api/2fa/challenge', fields: ['device'], strict: true },
  { method: 'POST', path: '/api/2fa/rescue/verify', fields: ['token'], strict: true },
  { method: 'POST', path: '/api/2fa/devices/totp', fields: ['name'], strict: false },
  { method: 'POST', path: '/api/2fa/devices/email', fields: ['name', 'email'], strict: false },
  { method: 'POST', path: '/api/2fa/devices/sms', fields: ['number', 'name'], strict: true },
  { method: 'POST', path: '/api/2fa/devices/static', fields: ['name'], strict: false },
  { method: 'POST', path: '/api/2fa/devices/hotp', fields: ['name'], strict: false },
  { method: 'POST', path: '/api/2fa/devices/{id}/confirm', fields: ['token'], strict: true },
  { method: 'DELETE', path: '/api/2fa/devices/{id}', fields: [], strict: true },
  { method: 'GET', path: '/api/2fa/devices', fields: [], strict: true },
  { method: 'PUT', path: '/api/2fa/validate', fields: ['token'], strict: true },
];

/** Routes that act on any well-formed body: only unparseable bodies are sent to them. */
const BODY_BLIND_ROUTES = ['/api/2fa/rescue'];

const FORM_ROUTES: readonly { path: string; fields: readonly string[] }[] = [
  { path: '/account/login', fields: ['username', 'password', 'otp_device', 'otp_token'] },
  { path: '/one/login', fields: ['username', 'password', 'otp_device', 'otp_token', 'otp_challenge'] },
  { path: '/account/verify', fields: ['otp_device', 'otp_token', 'remember'] },
  { path: '/one/verify', fields: ['otp_device', 'otp_token'] },
];

const badSegment = fc.oneof(
  fc.constantFrom('..', '%2e%2e', '%00', '%ff', '%E0%A4%A', 'totp%2F1', '0', '-1', '1e3', '99999999999999999999', ' '),
  fc.string({ minLength: 1, maxLength: 12 }).map(encodeURIComponent),
  fc.integer({ min: 1_000_000, max: 2 ** 53 }).map(String),
);

const JSON_TYPES = [
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=latin1',
  'application/json; charset=utf-16',
  'application/json; charset=bogus',
  'application/merge-patch+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=x',
  'application/json, text/html',
  '',
];
const ENCODINGS = ['gzip', 'deflate', 'br', 'identity', 'bogus', 'gzip, gzip'];

/** `value` about one time in seven, else `undefined`. */
const rarely = <T>(value: fc.Arbitrary<T>) => fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });

/** Bodies the JSON parser refuses: broken or non-object JSON, too big, or not UTF-8. */
const unparseable: fc.Arbitrary<string | Uint8Array> = fc.oneof(
  fc.string({ maxLength: 60 }).map((text) => `{,${text}`),
  fc.constantFrom('"token"', '123', 'true', 'null', '{"token":', '{"a":1}}', "{'token':'1'}", '{"token":"1",}'),
  fc.integer({ min: 17_000, max: 120_000 }).map((size) => JSON.stringify({ token: 'a'.repeat(size) })),
  fc.uint8Array({ minLength: 1, maxLength: 64 }).map((bytes) => Uint8Array.from([0x7b, 0xff, 0xfe, ...bytes])),
);

/** JSON the parser takes that is not the object a route wants: empty, arrays, deep nesting, a BOM, `__proto__`. */
const oddJson: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom('', '[]', '[1,2]', '{}', '\ufeff{}', '{"__proto__":{"token":"123456"}}', '{"constructor":{"prototype":{"x":1}}}'),
  fc.integer({ min: 500, max: 7_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`),
);

function jsonBody(fields: readonly string[], bad: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<string> {
  if (fields.length === 0) return fc.constantFrom('{}', '{"x":1}');
  const record = Object.fromEntries(fields.map((field) => [field, bad[field]!]));
  return fc
    .record(record, { requiredKeys: [fields[0]!] })
    .chain((value) => fc.dictionary(fc.string({ maxLength: 10 }), wrongType, { maxKeys: 2 }).map((extra) => ({ ...extra, ...value })))
    .map((value) => JSON.stringify(value));
}

function apiRequest(bad: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<FuzzRequest> {
  const route = fc.constantFrom(...API_ROUTES);
  const blind = fc.constantFrom(...BODY_BLIND_ROUTES).map((path) => ({ method: 'POST', path, fields: [] as readonly string[], strict: false, blind: true }));
  return fc.oneof({ weight: 10, arbitrary: route.map((r) => ({ ...r, blind: false })) }, { weight: 1, arbitrary: blind }).chain(({ method, path, fields, strict, blind: isBlind }) =>
    fc.record({
      path: fc.tuple(badSegment, badSegment).map(([type, id]) => path.replace('{id}', `${type}/${id}`)),
      body: isBlind
        ? unparseable
        : fc.oneof(
            { weight: 4, arbitrary: jsonBody(fields, bad) },
            { weight: 2, arbitrary: unparseable },
            { weight: strict ? 1 : 0, arbitrary: oddJson },
          ),
      type: fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 3, arbitrary: fc.constantFrom(...JSON_TYPES) }),
      encoding: rarely(fc.constantFrom(...ENCODINGS)),
    }).map(({ path: concrete, body, type, encoding }) => ({
      method,
      path: concrete,
      headers: { accept: 'application/json', ...(type === '' ? {} : { 'content-type': type }), ...(encoding ? { 'content-encoding': encoding } : {}) },
      body: method === 'GET' ? undefined : body,
      csrf: false,
    })),
  );
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Percent-encodes `text`, writing a lone surrogate as the invalid UTF-8 bytes `%ED%A0%80`. */
function percentEncode(text: string): string {
  return text.split(LONE_SURROGATE).map(encodeURIComponent).join('%ED%A0%80');
}

/** A urlencoded pair list, with bad percent-escapes, arrays and nested keys mixed in. */
function formBody(fields: readonly string[]): fc.Arbitrary<string> {
  const key = fc.oneof(fc.constantFrom(...fields, '_csrf', 'next'), fc.constantFrom(...fields).map((f) => `${f}[]`), fc.string({ maxLength: 8 }));
  const value = fc.oneof(
    poisoned.map(percentEncode),
    fc.constantFrom('%', '%zz', '%E0%A4%A', '%00', '+', '%ff%fe'),
    tooLong(200).map(percentEncode),
  );
  const pair = fc.tuple(key, value).map(([k, v]) => `${percentEncode(k)}=${v}`);
  return fc
    .tuple(fc.array(pair, { maxLength: 25 }), fc.boolean(), fc.boolean())
    .map(([pairs, withCsrf, asAlice]) => [...(withCsrf ? ['_csrf=__CSRF__'] : []), ...(asAlice ? ['username=alice'] : []), ...pairs].join('&'));
}

function formRequest(): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...FORM_ROUTES).chain(({ path, fields }) =>
    fc.record({
      body: fc.oneof({ weight: 4, arbitrary: formBody(fields) }, { weight: 1, arbitrary: tooLong(70_000) }),
      type: fc.oneof(
        { weight: 4, arbitrary: fc.constant('application/x-www-form-urlencoded') },
        { weight: 1, arbitrary: fc.constantFrom(...JSON_TYPES, 'application/x-www-form-urlencoded; charset=koi8-r') },
      ),
      encoding: rarely(fc.constantFrom(...ENCODINGS)),
    }).map(({ body, type, encoding }) => ({
      method: 'POST',
      path,
      headers: { ...(type === '' ? {} : { 'content-type': type }), ...(encoding ? { 'content-encoding': encoding } : {}) },
      body,
      csrf: true,
    })),
  );
}

/** A malformed request to the API or a form. `knownIds` are the persistent ids that exist. */
export function fuzzRequest(knownIds: readonly string[]): fc.Arbitrary<FuzzRequest> {
  return fc.oneof({ weight: 3, arbitrary: apiRequest(badValue(knownIds)) }, { weight: 2, arbitrary: formRequest() });
}
