import type { SmtpSink } from '../../../email/src/test-support/smtp-sink.js';
import { LINK_BASE } from './signin-fixture.js';

/** The token of the newest link mailed to `address` (the body may be quoted-printable: `=` is `=3D`). */
export function lastLinkTokenTo(smtp: SmtpSink, address: string): string {
  const raw = smtp.lastTo(address).raw.replaceAll('=3D', '=');
  const at = raw.indexOf(LINK_BASE);
  if (at < 0) throw new Error(`no link in the message to ${address}`);
  return raw.slice(at + LINK_BASE.length, at + LINK_BASE.length + 43);
}
