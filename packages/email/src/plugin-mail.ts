import { ConfigurationError, Messages, type AnyDevicePlugin, type Translate } from '@otpkit/core';
import { EmailDevice } from './email-device.js';
import { codeTemplates, composeMail, sendMail, type MailTemplates } from './mail-message.js';
import type { ResolvedEmailOptions } from './options.js';
import type { TemplateValues } from './template.js';

/** The built-in catalog's default locale, for callers that give no lookups. */
const BUILT_IN_TRANSLATOR = new Messages().translator();

/**
 * The resolved options (transport, sender, templates, `context`) of an email plugin, for mail sent
 * on its behalf; `caller` names who asks in the error.
 * @throws ConfigurationError when `plugin` is not an email plugin.
 */
export function emailPluginOptions(plugin: AnyDevicePlugin, caller: string): ResolvedEmailOptions {
  if (plugin.model !== EmailDevice && !(plugin.model.prototype instanceof EmailDevice)) {
    throw new ConfigurationError(`${caller}: "${plugin.type}" is not an email plugin`);
  }
  return plugin.options as ResolvedEmailOptions;
}

/**
 * Mails a message to `to` through an email plugin's transport and sender, as its devices do: for
 * packages that mail on the plugin's behalf without a device (`@otpkit/signin`'s registration codes
 * and magic links). Missing templates are the plugin's own code message: its options', else the
 * catalog's in `t`'s locale (pass `otp.messages.translator(locale).t`; default: the built-in
 * English). `values` fill them, with the plugin's `context`.
 * @throws ConfigurationError when `plugin` is not an email plugin; DeliveryError when the transport fails.
 */
export async function mailThroughPlugin(
  plugin: AnyDevicePlugin,
  to: string,
  templates: Partial<MailTemplates>,
  values: TemplateValues,
  t: Translate = BUILT_IN_TRANSLATOR.t,
): Promise<void> {
  const options = emailPluginOptions(plugin, 'mailThroughPlugin');
  await sendMail(options, composeMail(options, to, codeTemplates(options, templates, t), values));
}
