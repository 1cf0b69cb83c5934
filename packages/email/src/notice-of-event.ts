import { LOW_REMAINING_TOKENS, type MessageKey, type Otp, type OtpEvent, type OtpEventType } from '@otpkit/core';
import type { NoticeKind } from './notice-options.js';

/** What one notice says, before it is put in the user's words: its catalog keys and values. */
export interface Notice {
  readonly kind: NoticeKind;
  readonly subject: MessageKey;
  readonly text: MessageKey;
  /** The catalog key of the administrator's action (`adminAction` notices). */
  readonly action?: MessageKey;
  /** The device type the notice is about (`totp`), for `{method}`. */
  readonly deviceType?: string;
  /** The backup codes left (`backupCodesLow`). */
  readonly count?: number;
}

/** How an administrator's action is told, by event type; any other is `notices.action.other`. */
const ACTIONS: Partial<Record<OtpEventType, MessageKey>> = {
  deviceAdded: 'notices.action.deviceAdded',
  deviceConfirmed: 'notices.action.deviceAdded',
  deviceRemoved: 'notices.action.deviceRemoved',
  backupCodesRegenerated: 'notices.action.backupCodesRegenerated',
  backupCodeAdded: 'notices.action.backupCodeAdded',
  browsersRevoked: 'notices.action.browsersRevoked',
  passwordChanged: 'notices.action.passwordChanged',
  throttleReset: 'notices.action.throttleReset',
  tokenSessionsRevoked: 'notices.action.tokenSessionsRevoked',
  preferredDeviceChanged: 'notices.action.preferredDeviceChanged',
};

/** The device type of a persistent id (`totp/3` → `totp`), or `undefined`. */
function deviceTypeOf(deviceId: string | null): string | undefined {
  return deviceId?.slice(0, deviceId.indexOf('/')) || undefined;
}

/** The backup codes left after a verification with the device, or `null` when it is not a list of codes that runs out. */
async function remainingAfter(otp: Otp, deviceId: string): Promise<number | null> {
  const device = await otp.deviceFromPersistentId(deviceId);
  return device === null ? null : device.remainingTokens();
}

/**
 * The notice an event calls for among the `enabled` kinds, or `null`. An event with an `actor`
 * (an administrator acted) is an `adminAction` notice when that kind is on, except an expired
 * enrolment's sweep, which changed nothing the user had; without it, the event's own notice. A
 * device imported from another system is no notice.
 */
export async function noticeOf(otp: Otp, event: OtpEvent, enabled: ReadonlySet<NoticeKind>): Promise<Notice | null> {
  if (event.userId === null) return null;
  // A device imported from another system (otpkit import) is the user's factor moving, not a new one.
  if (event.type === 'deviceAdded' && event.imported === true) return null;
  const deviceType = deviceTypeOf(event.deviceId);
  if (event.actor !== null && enabled.has('adminAction') && event.type !== 'enrolmentExpired') {
    const action = ACTIONS[event.type] ?? 'notices.action.other';
    return { kind: 'adminAction', subject: 'notices.adminAction.subject', text: 'notices.adminAction.text', action, ...(deviceType && { deviceType }) };
  }
  const notice = await ownNoticeOf(otp, event, enabled);
  return notice !== null && enabled.has(notice.kind) ? notice : null;
}

/** The notice an event calls for whoever made it (`backupCodesLow` reads the device only when that kind is on). */
async function ownNoticeOf(otp: Otp, event: OtpEvent, enabled: ReadonlySet<NoticeKind>): Promise<Notice | null> {
  const deviceType = deviceTypeOf(event.deviceId);
  switch (event.type) {
    case 'deviceAdded':
    case 'deviceConfirmed':
      if (event.type === 'deviceAdded' && !event.confirmed) return null; // an enrolment began: its confirmation is the change
      return { kind: 'deviceAdded', subject: 'notices.deviceAdded.subject', text: 'notices.deviceAdded.text', ...(deviceType && { deviceType }) };
    case 'deviceRemoved':
      if (!event.confirmed) return null; // an abandoned enrolment
      return { kind: 'deviceRemoved', subject: 'notices.deviceRemoved.subject', text: 'notices.deviceRemoved.text', ...(deviceType && { deviceType }) };
    case 'backupCodesRegenerated':
      return { kind: 'backupCodesRegenerated', subject: 'notices.backupCodesRegenerated.subject', text: 'notices.backupCodesRegenerated.text' };
    case 'verified': {
      if (!enabled.has('backupCodesLow') || event.method !== 'token' || event.deviceId === null) return null;
      const count = await remainingAfter(otp, event.deviceId);
      if (count === null || count > LOW_REMAINING_TOKENS) return null;
      return { kind: 'backupCodesLow', subject: 'notices.backupCodesLow.subject', text: 'notices.backupCodesLow.text', count };
    }
    case 'throttled':
      return { kind: 'throttled', subject: 'notices.throttled.subject', text: 'notices.throttled.text' };
    case 'rescueUsed':
      return { kind: 'rescueUsed', subject: 'notices.rescueUsed.subject', text: event.rescueMode === 'email' ? 'notices.rescueUsed.email.text' : 'notices.rescueUsed.help.text' };
    default:
      return null;
  }
}
