import { execFileSync } from 'node:child_process';

/** The TOTP code an authenticator app shows for a base32 key, `offsetSeconds` from now (oathtool). */
export function appCode(base32Key: string, offsetSeconds = 0): string {
  const at = Math.floor(Date.now() / 1000) + offsetSeconds;
  return execFileSync('oathtool', ['--totp', '-b', base32Key, '-N', `@${at}`], { encoding: 'utf8' }).trim();
}

/**
 * Waits, if needed, until a 30-second time step has at least `seconds` left, so a code typed now
 * is still in the server's current step when it arrives (a code from the previous step is also
 * accepted, but moves the device's drift, which the next code would then be judged against).
 */
export async function freshTimeStep(seconds = 5): Promise<void> {
  const left = 30_000 - (Date.now() % 30_000);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 50));
}
