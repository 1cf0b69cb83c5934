import type { Device } from './device.js';
import type { ReportedEvent } from './events.js';
import type { ChallengeOutcome } from './outcomes.js';
import type { CheckChange } from './verify-context.js';

/** Extra values for challenge templates (`{name}` placeholders). */
export type ChallengeContext = Readonly<Record<string, string | number>>;

/**
 * A fresh token of an interactive device: what to write under the row lock (a sealed token, its
 * expiry, the start of the cooldown) and how to deliver it once the change is committed.
 */
export interface ChallengeIssue<D extends Device<any, any>> extends Omit<CheckChange<D>, 'consume'> {
  /** Until when (epoch ms) the token is valid. */
  readonly validUntil: number;
  /**
   * Whether the challenge sends a message (email, SMS), which the daily send limits count. A
   * challenge answered on the client (WebAuthn) sends nothing and counts nothing. @default true
   */
  readonly sends?: boolean;
  /** What the client needs to answer the challenge (WebAuthn's request options, as JSON), returned with the outcome. */
  readonly request?: Readonly<Record<string, unknown>>;
  /**
   * Sends the token; called after commit, outside any lock. Returns the message to show the user.
   * Throw a `DeliveryError` on failure: core then withdraws the token.
   */
  deliver(context: ChallengeContext): Promise<string>;
}

/** The rows of one child table of a device, as an enrolment may write them (codes in clear; core stores digests). */
export interface ChildRowWriter {
  /** Replaces every row of `name` with `rows`, in one transaction holding the device's row lock. */
  replace(name: string, rows: readonly Readonly<Record<string, string | number>>[]): Promise<void>;
  /** Adds `row` unless the device already has one equal to it; returns whether it was added. */
  add(name: string, row: Readonly<Record<string, string | number>>): Promise<boolean>;
  /** How many rows of `name` the device has. */
  count(name: string): Promise<number>;
}

/** What a device's `enroll` hook may use. */
export interface EnrolContext {
  /** The caller's enrolment input (as given to `Otp.enroll`), for fields that are not columns (`count`). */
  readonly input: Readonly<Record<string, unknown>>;
  /** Whether the device existed before this enrolment (a plugin with one device per user re-enrols it). */
  readonly existing: boolean;
  /** The device's child rows. */
  readonly children: ChildRowWriter;
  /** Sends the device's first token (interactive devices), with the cooldown and send limits of `Otp.generateChallenge`. */
  challenge(context?: ChallengeContext): Promise<ChallengeOutcome>;
  /**
   * Reports what the enrolment changed beyond creating the device (already reported as
   * `deviceAdded`): new codes of an existing device (`backupCodesRegenerated`), one code added
   * (`backupCodeAdded`), about this device and its owner, to the instance's hooks and audit table.
   * Never put a code or secret in it.
   */
  report(event: EnrolmentEvent): Promise<void>;
}

/** An event an enrolment reports: a {@link ReportedEvent} without its user and device, which core fills in. */
export type EnrolmentEvent = ReportedEvent extends infer E ? (E extends unknown ? Omit<E, 'userId' | 'deviceId'> : never) : never;

/** What an enrolment hook returns: what to show the user once, or why the first token could not be sent. */
export type EnrolmentResult<S extends object = Readonly<Record<string, unknown>>> =
  | { readonly display: S }
  | { readonly refused: Extract<ChallengeOutcome, { ok: false }> };
