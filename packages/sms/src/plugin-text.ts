import { ConfigurationError, Messages, type AnyDevicePlugin, type Translate } from '@otpkit/core';
import type { ResolvedSmsOptions } from './options.js';
import { SMSDevice } from './sms-device.js';
import { codeTemplate, composeText, sendText } from './text-message.js';

/** The built-in catalog's default locale, for callers that give no lookups. */
const BUILT_IN_TRANSLATOR = new Messages().translator();

/**
 * Texts a message to `to` (E.164) through an SMS plugin's provider, as its devices do: for packages
 * that send on the plugin's behalf without a device (`@otpkit/signin`'s registration codes). The
 * template is the plugin's own code message unless given: its options', else the catalog's in
 * `t`'s locale (pass `otp.messages.translator(locale).t`; default: the built-in English).
 * `values` fill it, with the plugin's `context`.
 * @throws ConfigurationError when `plugin` is not an SMS plugin; DeliveryError when the provider fails.
 */
export async function textThroughPlugin(
  plugin: AnyDevicePlugin,
  to: string,
  template: string | undefined,
  values: Readonly<Record<string, string | number>>,
  t: Translate = BUILT_IN_TRANSLATOR.t,
): Promise<void> {
  if (plugin.model !== SMSDevice && !(plugin.model.prototype instanceof SMSDevice)) {
    throw new ConfigurationError(`textThroughPlugin: "${plugin.type}" is not an SMS plugin`);
  }
  const options = plugin.options as ResolvedSmsOptions;
  await sendText(options, to, composeText(options, codeTemplate(options, template, t), values));
}
