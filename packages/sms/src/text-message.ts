import { DeliveryError, type Translate } from '@otpkit/core';
import type { ResolvedSmsOptions } from './options.js';

const PLACEHOLDER = /\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** The template of a code message: the one given (a challenge context's, say), else the plugin's `text`, else the catalog's `sms.code.text` in `t`'s locale. */
export function codeTemplate(options: ResolvedSmsOptions, given: string | undefined, t: Translate): string {
  return given ?? options.text ?? t('sms.code.text');
}

/** Fills `template`'s `{name}` placeholders with the plugin's `context` and `values` (values win); unknown placeholders stay. */
export function composeText(options: ResolvedSmsOptions, template: string, values: Readonly<Record<string, string | number>>): string {
  const filled: Readonly<Record<string, string | number>> = { ...options.context, ...values };
  return template.replace(PLACEHOLDER, (placeholder, name: string) => (Object.hasOwn(filled, name) ? String(filled[name]) : placeholder));
}

/** Sends `text` to `to` through the plugin's provider. @throws DeliveryError when the provider fails (the cause is kept). */
export async function sendText(options: ResolvedSmsOptions, to: string, text: string): Promise<void> {
  try {
    await options.provider.send(to, text);
  } catch (error) {
    throw error instanceof DeliveryError ? error : new DeliveryError(undefined, { cause: error });
  }
}
