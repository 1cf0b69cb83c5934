import {
  checkOptionKeys,
  ConfigurationError,
  DEFAULT_SIDE_CHANNEL_OPTIONS,
  resolveSideChannelOptions,
  type SideChannelOptions,
  type ThrottlePolicy,
} from '@otpkit/core';
import nodemailer, { type Transport, type Transporter, type TransportOptions } from 'nodemailer';
import { resolveMailSender, type MailSender } from './mail-sender.js';
import type { TemplateValues } from './template.js';

/**
 * The options of {@link email}. Templates fill `{token}`, `{validMinutes}`, `{deviceName}` and any
 * key of `context` or of the challenge's context; in `html`, filled values are HTML-escaped.
 */
export interface EmailOptions extends Partial<SideChannelOptions> {
  /**
   * How mail is sent: an SMTP URL (`smtps://user:pass@smtp.example.com`), nodemailer transport
   * options, a nodemailer transport, or a transporter from `nodemailer.createTransport()`.
   * Required; resolved to a transporter.
   */
  readonly transport: string | Transporter | Transport | TransportOptions;
  /**
   * The sender: one address (`'security@acme.example'`) or a display name and one address
   * (`'Acme <security@acme.example>'`), checked at start-up. Required.
   */
  readonly from: string;
  /**
   * The subject template, in every language.
   * @default the catalog's `email.code.subject` in the challenge's `locale` ('Your verification code')
   */
  readonly subject?: string;
  /**
   * The plain-text body template, in every language.
   * @default the catalog's `email.code.text` in the challenge's `locale` ('Your verification code is {token}. It expires in {validMinutes} minutes.')
   */
  readonly text?: string;
  /**
   * The HTML body template, in every language, or `null` to send plain text only.
   * @default the catalog's `email.code.html` in the challenge's `locale` ('<p>Your verification code is <strong>{token}</strong>.</p><p>It expires in {validMinutes} minutes.</p>')
   */
  readonly html?: string | null;
  /**
   * Extra template values for every message (`{ appName: 'Acme' }`).
   * @default {}
   */
  readonly context?: TemplateValues;
  /**
   * Throttling of failed verifications.
   * @default { factor: 1 }
   */
  readonly throttle?: Partial<ThrottlePolicy>;
}

/**
 * The options of an email plugin after resolution: every default filled in, the transport a
 * transporter, the sender parsed; templates left out (`undefined`) come from the catalog.
 */
export type ResolvedEmailOptions = Readonly<Required<Omit<EmailOptions, 'transport' | 'from' | 'subject' | 'text' | 'html'>>> &
  Pick<EmailOptions, 'subject' | 'text' | 'html'> &
  SideChannelOptions & { readonly transport: Transporter; readonly from: MailSender };

const DEFAULTS = Object.freeze({
  ...DEFAULT_SIDE_CHANNEL_OPTIONS,
  context: Object.freeze({}),
  throttle: Object.freeze({ factor: 1 }),
});

/** The templates an app may set; left out, the catalog's code message in the recipient's locale. */
const TEMPLATE_KEYS = ['subject', 'text', 'html'] as const;

function transporterOf(transport: unknown): Transporter {
  if (typeof transport === 'object' && transport !== null && typeof (transport as Transporter).sendMail === 'function') {
    return transport as Transporter;
  }
  if (typeof transport !== 'string' && (typeof transport !== 'object' || transport === null)) {
    throw new ConfigurationError('email: transport must be an SMTP URL, nodemailer transport options, a transport or a transporter');
  }
  try {
    return nodemailer.createTransport(transport as string);
  } catch (error) {
    throw new ConfigurationError('email: transport is not usable by nodemailer', { cause: error });
  }
}

/** Validates and fills in the options, once. @throws ConfigurationError */
export function resolveEmailOptions(input: EmailOptions): ResolvedEmailOptions {
  if (input === null || typeof input !== 'object') throw new ConfigurationError('email: options must be an object');
  checkOptionKeys('email', input, [...Object.keys(DEFAULTS), ...TEMPLATE_KEYS, 'transport', 'from']);
  // Side-channel fields are validated by core; the merged object keeps every other field.
  const options = { ...resolveSideChannelOptions({ ...DEFAULTS, ...input }) } as Required<Omit<EmailOptions, (typeof TEMPLATE_KEYS)[number]>> &
    Pick<EmailOptions, (typeof TEMPLATE_KEYS)[number]> &
    SideChannelOptions;
  for (const field of ['subject', 'text'] as const) {
    if (options[field] !== undefined && (typeof options[field] !== 'string' || options[field] === '')) throw new ConfigurationError(`email: ${field} must be a non-empty string`);
  }
  if (options.html !== undefined && options.html !== null && typeof options.html !== 'string') throw new ConfigurationError('email: html must be a string or null');
  for (const field of ['context', 'throttle'] as const) {
    if (options[field] === null || typeof options[field] !== 'object') throw new ConfigurationError(`email: ${field} must be an object`);
  }
  return Object.freeze({
    ...options,
    transport: transporterOf(options.transport),
    from: resolveMailSender(options.from),
    context: Object.freeze({ ...options.context }),
    throttle: Object.freeze({ ...options.throttle }),
  });
}
