import nodemailer, { type Transporter } from 'nodemailer';

/** A message the demo sent, as the outbox page shows it. */
export interface OutboxMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  /** Epoch ms. */
  readonly sentAt: number;
}

/**
 * The development outbox: a nodemailer transport that keeps the last messages in memory instead
 * of sending them, for the demo's /outbox page when no SMTP_URL is set.
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
        const { to, subject, text } = mail.data;
        this.#messages.unshift({ to: String(to), subject: String(subject ?? ''), text: String(text ?? ''), sentAt: clock() });
        this.#messages.length = Math.min(this.#messages.length, this.#limit);
        done(null, { envelope: mail.message.getEnvelope(), messageId: mail.message.messageId() });
      },
    });
  }

  /** The kept messages, newest first. */
  get messages(): readonly OutboxMessage[] {
    return this.#messages;
  }
}
