/**
 * Two device plugins built on `@otpkit/core` alone, the way a third party writes one, for proving
 * that the Express layer serves any plugin: a printed list of numbered codes (shown once at
 * enrolment, used in order) and a pager that is sent codes (interactive, and a rescue channel
 * once its enrolment confirmed the pager).
 * @module
 */
import { randomBytes } from 'node:crypto';
import {
  constantTimeEqual,
  defineDevicePlugin,
  Device,
  resolveSideChannelOptions,
  SIDE_CHANNEL_COLUMNS,
  SideChannelDevice,
  ValidationError,
  type CheckResult,
  type EnrolmentResult,
  type RescueChannel,
  type SideChannelOptions,
  type VerifyContext,
} from '@otpkit/core';

/** A printed list: line `n` reads `n` followed by the list's secret; lines are used in order. */
export class PrintedListDevice extends Device<{ readonly lines: number }> {
  static override readonly deviceType = 'printed';
  static override tableName = 'otp_printed_device';
  static override readonly columns = { secret: 'secret', used: 'integer', lines: 'integer' } as const;

  declare used: number;
  declare lines: number;

  check(token: string, context: VerifyContext): CheckResult<PrintedListDevice> {
    if (this.used >= this.lines || !constantTimeEqual(token, `${this.used + 1}${context.secret('secret')}`)) return null;
    return { patch: { used: this.used + 1 } };
  }

  /** Shows the whole list once. */
  override async enroll(): Promise<EnrolmentResult<{ sheet: string[] }>> {
    const secret = this.revealSecret('secret');
    return { display: { sheet: Array.from({ length: this.lines }, (_, line) => `${line + 1}${secret}`) } };
  }
}

/** The printed-list plugin; a new list takes `lines` (2 to 20, users may choose it). */
export function printedList() {
  return defineDevicePlugin<typeof PrintedListDevice, { lines?: number }>({
    model: PrintedListDevice,
    options: { lines: 5 },
    defaultName: 'Printed list',
    enrolFields: ['lines'],
    initialize: ({ lines = 5 }) => {
      if (typeof lines !== 'number' || !Number.isInteger(lines) || lines < 2 || lines > 20) {
        throw new ValidationError('lines must be an integer from 2 to 20', { field: 'lines' });
      }
      return { secret: randomBytes(5).toString('hex').toUpperCase(), used: 0, lines };
    },
  });
}

/** A message the pager network carried. */
export interface PagerMessage {
  readonly to: string;
  readonly text: string;
}

/** The pager plugin's options: the side-channel ones, and where pages go. */
interface PagerOptions extends SideChannelOptions {
  readonly network: PagerMessage[];
}

/** A pager that is sent codes; its own number, once confirmed, can carry a rescue. */
export class PagerDevice extends SideChannelDevice<PagerOptions> implements RescueChannel {
  static override readonly deviceType = 'pager';
  static override tableName = 'otp_pager_device';
  static override readonly columns = { ...SIDE_CHANNEL_COLUMNS, pager: 'text' } as const;

  declare pager: string;

  override async destination(): Promise<string> {
    return this.pager;
  }

  override async deliver(token: string): Promise<string> {
    this.options.network.push({ to: this.pager, text: `code ${token}` });
    return 'paged';
  }

  rescueAddress(): string | null {
    return this.confirmed ? this.pager : null;
  }

  async notice(subject: string, text: string): Promise<void> {
    this.options.network.push({ to: this.pager, text: `${subject}: ${text}` });
  }
}

/** The pager plugin; a new pager needs a `pager` number of 4 to 8 digits, which users give. */
export function pagers(network: PagerMessage[]) {
  return defineDevicePlugin<typeof PagerDevice, { pager?: string }>({
    model: PagerDevice,
    options: { ...resolveSideChannelOptions(), network },
    defaultName: 'Pager',
    enrolFields: ['pager'],
    initialize: ({ pager }) => {
      if (typeof pager !== 'string' || !/^[0-9]{4,8}$/.test(pager)) throw new ValidationError('pager must be 4 to 8 digits', { field: 'pager' });
      return { pager, token: null, validUntil: null, lastGeneratedAt: null };
    },
  });
}

/** The newest code paged to `pager`. */
export function lastPagedCode(network: readonly PagerMessage[], pager: string): string {
  const code = /^code (\d+)$/.exec(network.findLast((message) => message.to === pager && message.text.startsWith('code '))?.text ?? '')?.[1];
  if (code === undefined) throw new Error(`no code was paged to ${pager}`);
  return code;
}
