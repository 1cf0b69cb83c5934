import type { CheckResult, DevicePlugin, Device, VerifyContext } from '@otpkit/core';

/** A device whose token is its secret followed by its counter. */
export declare class CounterDevice extends Device {
  counter: number;
  check(token: string, context: VerifyContext): CheckResult<CounterDevice>;
}

/** The counter device plugin. */
export declare function counter(options?: { readonly label?: string }): DevicePlugin<typeof CounterDevice>;

/** The same device under another type. */
export declare class TallyDevice extends CounterDevice {}

/** The tally plugin. */
export declare function tally(): DevicePlugin<typeof TallyDevice>;
