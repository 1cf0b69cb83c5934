import type { MessageKey, Translate } from '@otpkit/core';
import type { BrowserChallenge } from '../forms/clean-otp.js';
import type { OtpFormError } from '../forms/form-errors.js';
import type { MethodKind, SignInMethod } from '../internal/sign-in-methods.js';
import { browserChallengeForm, browserDeviceButtons, type FormTarget } from './browser-ceremony.js';
import { hiddenFields, tokenInput } from './form-parts.js';
import { html, joinHtml, type SafeHtml } from './html.js';
import { methodLabel } from './method-label.js';
import { chooseHref, methodHref } from './method-links.js';

/** What the form of one method shows. */
export interface MethodFormModel extends FormTarget {
  readonly t: Translate;
  /** Every method of the user, the default first. */
  readonly methods: readonly SignInMethod[];
  /** The method whose form is shown: one of `methods`. */
  readonly current: SignInMethod;
  readonly errors: readonly OtpFormError[];
  /** Offer "remember this browser" for this many days; `null` when it is off. */
  readonly rememberDays: number | null;
  /** A challenge issued for the current method when it is answered in the browser. */
  readonly browserChallenge?: BrowserChallenge | undefined;
}

/** The hint of the code field, by the kind of method; another plugin's device says whether it sends or shows its code. */
const HINT_OF_KIND: Readonly<Record<Exclude<MethodKind, 'other'>, MessageKey>> = {
  app: 'signinPages.token.hintApp',
  key: 'signinPages.token.keyIntro',
  text: 'signinPages.token.hintText',
  email: 'signinPages.token.hintEmail',
  backup: 'signinPages.token.hintBackup',
};

/** What the field's hint says of the current method. */
function hint(method: SignInMethod, t: Translate): string {
  const values = { name: method.name, destination: method.destination ?? method.name };
  if (method.kind !== 'other') return t(HINT_OF_KIND[method.kind], values);
  return t(method.interactive ? 'signinPages.token.hintSent' : 'signinPages.token.hintShown', values);
}

/** "Remember this browser" and "Make this my default method" (unless it is already). */
function options({ t, current, rememberDays }: MethodFormModel): SafeHtml {
  return joinHtml([
    rememberDays === null ? html`` : html`<label class="check"><input type="checkbox" name="remember" value="1"> ${t('signinPages.token.remember', { count: rememberDays })}</label>`,
    current.preferred ? html`` : html`<label class="check"><input type="checkbox" name="prefer" value="1"> ${t('signinPages.token.prefer')}</label>`,
  ]);
}

/** The code form of a method whose code is typed: the device is fixed; a device that sends codes has "Send me a code". */
function codeForm(model: MethodFormModel): SafeHtml {
  const { t, current, errors } = model;
  const invalid = errors.some((e) => e.field === 'otp_token');
  const sent = errors.some((e) => e.code === 'challenge_message');
  const label = t(current.kind === 'backup' ? 'signinPages.token.backupLabel' : 'signinPages.token.label');
  return html`<form method="post" action="${model.action}">
${hiddenFields(model.csrfToken, model.next)}
<input type="hidden" name="otp_device" value="${current.id}">
${tokenInput(label, hint(current, t), invalid, true)}
${options(model)}
<button type="submit">${t('signinPages.token.verify')}</button>
${current.interactive ? html`<button type="submit" name="otp_challenge" value="1" class="secondary" formnovalidate>${t(sent ? 'signinPages.token.sendAgain' : 'signinPages.token.send')}</button>` : html``}
</form>`;
}

/** A method answered in the browser (a security key): its button asks for a challenge, which the page then runs. */
function browserForm(model: MethodFormModel): SafeHtml {
  const { t, current } = model;
  return html`<p>${t('signinPages.token.keyIntro', { name: current.name })}</p>
${model.browserChallenge === undefined ? browserDeviceButtons([current], model) : browserChallengeForm(model.browserChallenge, model, options(model))}`;
}

/**
 * The ways to switch: "Use a backup code instead", "Send me a code instead" (a post that sends the
 * code of that device at once) and "Use another method" (the list).
 */
function otherMethods(model: MethodFormModel): SafeHtml {
  const { t, current, action, next } = model;
  const others = model.methods.filter((method) => method.id !== current.id);
  if (others.length === 0) return html``;
  const backup = current.kind === 'backup' ? undefined : others.find((method) => method.kind === 'backup');
  const senders = others.filter((method) => method.interactive && !method.browser);
  return html`<nav aria-labelledby="other-methods">
<h2 id="other-methods">${t('signinPages.token.otherMethods')}</h2>
<ul class="methods">
${backup === undefined ? html`` : html`<li><a href="${methodHref(action, next, backup.id)}">${t('signinPages.token.useBackup')}</a></li>`}
${senders.map(
  (method) => html`<li><form method="post" action="${action}">
${hiddenFields(model.csrfToken, next)}
<input type="hidden" name="otp_device" value="${method.id}">
<button type="submit" name="otp_challenge" value="1" class="secondary">${t('signinPages.token.sendInstead', { method: methodLabel(method, t) })}</button>
</form></li>`,
)}
<li><a href="${chooseHref(action, next)}">${t('signinPages.token.useAnother')}</a></li>
</ul>
</nav>`;
}

/** The form of the current method and the ways to switch to another. */
export function methodForm(model: MethodFormModel): SafeHtml {
  return html`${model.current.browser ? browserForm(model) : codeForm(model)}
${otherMethods(model)}`;
}
