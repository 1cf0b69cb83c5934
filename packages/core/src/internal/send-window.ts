/** Sends counted in one daily window: how many, and when (epoch ms) the window began (`null`: none yet). */
export interface SendWindow {
  readonly sent: number;
  readonly windowStart: number | null;
}

/** The length of a send window: 24 hours. */
export const SEND_WINDOW_MS = 86_400_000;

/**
 * Counts one more send at `now` under `limit`: the window after it, or when (epoch ms) the next
 * send will be allowed. A window begins with its first send and lasts {@link SEND_WINDOW_MS}.
 */
export function countSend(window: SendWindow, now: number, limit: number): { readonly next: SendWindow } | { readonly retryAt: number } {
  const start = window.windowStart;
  const fresh = start === null || now >= start + SEND_WINDOW_MS;
  const windowStart = fresh ? now : start;
  const sent = fresh ? 0 : window.sent;
  if (sent >= limit) return { retryAt: windowStart + SEND_WINDOW_MS };
  return { next: { sent: sent + 1, windowStart } };
}

/** Gives back a send counted in `charged` (its delivery failed), unless that window has since ended. */
export function refundSend(window: SendWindow, charged: SendWindow): SendWindow {
  if (window.windowStart !== charged.windowStart || window.sent === 0) return window;
  return { sent: window.sent - 1, windowStart: window.windowStart };
}
