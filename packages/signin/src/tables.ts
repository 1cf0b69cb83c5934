/** The magic links: one row per link sent, holding only keyed digests of its token and of the asking browser. */
export const LINK_TABLE = 'otp_signin_link';
/** Registrations waiting for the code sent to an unknown address: a keyed digest of the address and of the code. */
export const PENDING_TABLE = 'otp_signin_pending';
