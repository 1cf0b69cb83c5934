import nodemailer, { type Transporter } from 'nodemailer';

/** A message the demo sent, as the outbox page shows it. */
export interface OutboxMessage {
  readonly to: string;
  /** The envelope's recipients, lower-cased: whom the message may be shown to. */
  readonly recipients: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Epoch ms. */
  readonly sentAt: number;
}

/**
 * The development outbox: a nodemailer transport that keeps the last messages in memory instead
 * of sending them, for the demo's /outbox page when no SMTP_URL is set. The page shows a user only
 * the messages addressed to them.
 */
export class Outbox {
  readonly #messages: OutboxMessage[] = [];
  readonly #limit: number;
  /** The transporter to give the email plugin. */
  readonly transporter: Transporter;

  constructor(clock: () => number, limit = 50) {
    this.#limit = limit;
    this.transporter = nodemailer.createTransport({
      name: 'otpkit-demo-outbox',
      version: '1',
      send: (mail, done) => {
        const { subject, text } = mail.data;
        const recipients = mail.message.getEnvelope().to.map((address) => address.toLowerCase());
        this.#messages.unshift({ to: recipients.join(', '), recipients, subject: String(subject ?? ''), text: String(text ?? ''), sentAt: clock() });
        this.#messages.length = Math.min(this.#messages.length, this.#limit);
        done(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
      },
    });
  }

  /** The kept messages addressed to one of `addresses` (compared lower-cased), newest first. */
  messagesTo(addresses: Iterable<string>): OutboxMessage[] {
    const mine = new Set([...addresses].map((address) => address.toLowerCase()));
    return this.#messages.filter((message) => message.recipients.some((recipient) => mine.has(recipient)));
  }
}
