/**
 * @otpkit/express: Express integration: otpMiddleware, otpRequired, login views, the JSON two-factor API.
 * @packageDocumentation
 */
export {};
