import { DeliveryError, type Translate } from '@otpkit/core';
import type { ResolvedEmailOptions } from './options.js';
import { escapeHtml, fillTemplate, type TemplateValues } from './template.js';

/** The templates of one message: `{name}` placeholders are filled from the values; `html: null` sends plain text only. */
export interface MailTemplates {
  readonly subject: string;
  readonly text: string;
  readonly html: string | null;
}

/**
 * The templates of a code message: those `given` (a challenge context's, say), else the plugin's
 * options, else the catalog's `email.code.*` in `t`'s locale.
 */
export function codeTemplates(options: ResolvedEmailOptions, given: Partial<MailTemplates>, t: Translate): MailTemplates {
  return {
    subject: given.subject ?? options.subject ?? t('email.code.subject'),
    text: given.text ?? options.text ?? t('email.code.text'),
    html: given.html !== undefined ? given.html : options.html !== undefined ? options.html : t('email.code.html'),
  };
}

/** A message ready for the transport. */
export interface MailMessage {
  readonly to: string;
  readonly subject: string;
  readonly text: string;
  readonly html?: string;
}

/** Fills `templates` with the plugin's `context` and `values` (values win); in `html`, filled values are HTML-escaped. */
export function composeMail(options: ResolvedEmailOptions, to: string, templates: MailTemplates, values: TemplateValues): MailMessage {
  const filled: TemplateValues = { ...options.context, ...values };
  return {
    to,
    subject: fillTemplate(templates.subject, filled),
    text: fillTemplate(templates.text, filled),
    ...(templates.html === null ? {} : { html: fillTemplate(templates.html, filled, escapeHtml) }),
  };
}

/** Sends `message` from the configured sender. @throws DeliveryError when the transport fails (the cause is kept). */
export async function sendMail(options: ResolvedEmailOptions, message: MailMessage): Promise<void> {
  try {
    await options.transport.sendMail({ from: { ...options.from }, ...message }); // a copy: nodemailer rewrites the object it is given
  } catch (error) {
    throw new DeliveryError(undefined, { cause: error });
  }
}
