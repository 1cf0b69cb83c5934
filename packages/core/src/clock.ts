/** A source of the current time in milliseconds since the Unix epoch. Inject one to control time. */
export type Clock = () => number;

/** The wall clock. */
export const systemClock: Clock = () => Date.now();
