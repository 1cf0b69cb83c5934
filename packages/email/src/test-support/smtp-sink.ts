/**
 * A real SMTP server on loopback (smtp-server) that keeps every message it receives, for tests
 * that read what otpkit mailed.
 */
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** A received message: its envelope recipients and its raw text with soft line breaks joined. */
export interface ReceivedMail {
  readonly to: readonly string[];
  readonly from: string;
  readonly raw: string;
  /** The message exactly as received (headers folded, soft line breaks kept). */
  readonly source: string;
}

export interface SmtpSink {
  /** `smtp://127.0.0.1:<port>`, for `email({ transport })`. */
  readonly url: string;
  readonly port: number;
  readonly messages: ReceivedMail[];
  /** The newest message to `address`; throws when there is none. */
  lastTo(address: string): ReceivedMail;
  /** The 6-digit token in the newest message to `address`. */
  lastTokenTo(address: string): string;
  close(): Promise<void>;
}

export async function startSmtpSink(port = 0): Promise<SmtpSink> {
  const messages: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        const source = Buffer.concat(chunks).toString('utf8');
        messages.push({
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          raw: source.replace(/=\r\n/g, ''),
          source,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const bound = (server.server.address() as AddressInfo).port;
  const lastTo = (address: string): ReceivedMail => {
    const found = messages.findLast((message) => message.to.includes(address));
    if (found === undefined) throw new Error(`no message to ${address}`);
    return found;
  };
  return {
    url: `smtp://127.0.0.1:${bound}`,
    port: bound,
    messages,
    lastTo,
    lastTokenTo(address) {
      const token = /\b([0-9]{6})\b/.exec(lastTo(address).raw.split(/\r\n\r\n/).slice(1).join('\n'))?.[1];
      if (token === undefined) throw new Error(`no token in the message to ${address}`);
      return token;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
