/** What a browser script or a mobile app does with the JSON API, with `fetch` and the session cookie. */
export async function enrolWithTheApi(baseUrl: string, sessionCookie: string, codeFromApp: (otpauthUri: string) => Promise<string>) {
  let cookie = sessionCookie; // 'connect.sid=…' after the password login
  const api = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST') => {
    const response = await fetch(`${baseUrl}/api/2fa${path}`, {
      method,
      headers: { cookie, accept: 'application/json', 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    // Verifying regenerates the session id: keep the new cookie (browsers do this by themselves).
    for (const line of response.headers.getSetCookie()) cookie = line.split(';')[0]!;
    const text = await response.text();
    return { status: response.status, retryAfter: response.headers.get('retry-after'), body: text ? JSON.parse(text) : null };
  };

  // 1. Enrol an authenticator app (POST /devices/{type}, any configured type): show qrSvg (or the
  //    qrPng data URL) and the grouped secret.
  const setup = await api('/devices/totp', { name: 'Phone' });
  const { device, otpauthUri, secret } = setup.body; // device.id is 'totp/1'

  // 2. Confirm it with the first code from the app; the session is now verified.
  const confirmed = await api(`/devices/${device.id}/confirm`, { token: await codeFromApp(otpauthUri) });

  // 3. Backup codes, shown once (enrolling them again replaces them).
  const { codes } = (await api('/devices/static', {})).body;

  // 4. A wrong code: 400 invalid_token; too many: 429 throttled with Retry-After.
  const wrong = await api('/validate', { token: '000000', device: device.id });

  // 5. The device list never includes secrets.
  const { devices } = (await api('/devices')).body;

  return { secret, confirmed: confirmed.body.device.confirmed, codes, wrong, devices, cookie };
}
