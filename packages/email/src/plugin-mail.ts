import { ConfigurationError, type AnyDevicePlugin } from '@otpkit/core';
import { EmailDevice } from './email-device.js';
import { composeMail, sendMail, type MailTemplates } from './mail-message.js';
import type { ResolvedEmailOptions } from './options.js';
import type { TemplateValues } from './template.js';

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
 * and magic links). Missing templates are the plugin's own (its code message); `values` fill them,
 * with the plugin's `context`.
 * @throws ConfigurationError when `plugin` is not an email plugin; DeliveryError when the transport fails.
 */
export async function mailThroughPlugin(plugin: AnyDevicePlugin, to: string, templates: Partial<MailTemplates>, values: TemplateValues): Promise<void> {
  const options = emailPluginOptions(plugin, 'mailThroughPlugin');
  const { subject = options.subject, text = options.text, html = options.html } = templates;
  await sendMail(options, composeMail(options, to, { subject, text, html }, values));
}
