import { execFileSync } from 'node:child_process';

/** The TOTP code for a base32 secret at `nowMs`, computed by Debian's oathtool, independently of otpkit. */
export function oathtoolTotp(base32Secret: string, nowMs: number): string {
  const now = new Date(nowMs).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
  return execFileSync('oathtool', ['--totp', '--base32', '--now', now, base32Secret.replace(/\s+/g, '')], { encoding: 'utf8' }).trim();
}
