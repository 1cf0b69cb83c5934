import type { MessageKey, MessageParams, Translator } from '@otpkit/core';
import type { Notice } from './notice-of-event.js';

/** The device types the catalog names (`notices.method.<type>`); any other is `notices.method.other`. */
const NAMED_METHODS = new Set(['totp', 'hotp', 'static', 'email', 'sms', 'webauthn']);

/** The subject and plain-text body of a notice. */
export interface NoticeText {
  readonly subject: string;
  readonly text: string;
}

/** `at` (epoch ms) as the notice writes it: date, hours and minutes and the zone, in the translator's locale. */
export function noticeDate(at: number, locale: string, timeZone: string): string {
  const format = new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', timeZone, timeZoneName: 'short' });
  return format.format(at);
}

/** Puts a notice in the words of `translator`'s locale: `{at}`, `{method}`, `{action}` and `{count}` filled. */
export function noticeText(notice: Notice, at: number, translator: Translator, timeZone: string): NoticeText {
  const { t, locale } = translator;
  const type = notice.deviceType;
  const method = t((type !== undefined && NAMED_METHODS.has(type) ? `notices.method.${type}` : 'notices.method.other') as MessageKey);
  const params: MessageParams = {
    at: noticeDate(at, locale, timeZone),
    method,
    ...(notice.action !== undefined && { action: t(notice.action, { method }) }),
    ...(notice.count !== undefined && { count: notice.count }),
  };
  return { subject: t(notice.subject, params), text: t(notice.text, params) };
}
