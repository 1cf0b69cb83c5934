/**
 * @otpkit/email: Email devices: a single-use token sent by mail through nodemailer.
 * @packageDocumentation
 */
export { email, type EmailDeviceInput } from './email.js';
export { EmailDevice } from './email-device.js';
export { normalizeEmailAddress } from './email-address.js';
export type { EmailOptions } from './options.js';
export { mailThroughPlugin } from './plugin-mail.js';
export type { MailTemplates } from './mail-message.js';
export type { TemplateValues } from './template.js';
export { accountNotices, AccountNotices } from './account-notices.js';
export { NOTICE_KINDS, type NoticeKind, type AccountNoticesOptions } from './notice-options.js';
export { accountNoticeMigrations } from './notice-migrations.js';
