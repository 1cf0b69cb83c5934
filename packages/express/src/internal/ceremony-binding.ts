import type { Request, Response } from 'express';
import type { AnyDevicePlugin, Device, Otp } from '@otpkit/core';
import { anonymousFormCsrf } from '../anonymous-form-csrf.js';
import { newRandomValue, RandomValueCookie } from './random-value-cookie.js';
import { sessionOf } from './session.js';

/**
 * The session's ceremony binding: a random value kept in the session (never its id), created on
 * first use and carried across regenerations, that otpkit passes with the ceremonies of plugins
 * that bind them to a session (`bindsSession`: WebAuthn). A registration or challenge begun in one
 * session can then not be finished in another, even by someone who has the browser's answer. An
 * application's own pages that enrol a WebAuthn device pass it as the enrolment's `session` and
 * wrap the browser's answer as `{ credential, session }`.
 */
export function ceremonyBinding(req: Request): string {
  const session = sessionOf(req);
  session.otpkitBinding ??= newRandomValue();
  return session.otpkitBinding;
}

const browserCookie = anonymousFormCsrf();

/**
 * The binding of a ceremony begun before anyone signed in (a passkey sign-in): the browser's
 * session-free cookie, the login form's ({@link anonymousFormCsrf}), set when missing. Nothing is
 * kept on the server, so anonymous callers create no session; only the browser that holds the
 * cookie can finish the ceremony.
 */
export function browserBinding(req: Request, res: Response): string {
  return browserCookie.token(req, res);
}

/**
 * `SameSite=Lax`: a magic link is opened from a mail, often a web mail on another site, and that
 * navigation must carry the value for the asking browser to be recognised. It is no credential:
 * the link is, and the value only tells that the browser opening it is the one that asked.
 */
const linkBrowserCookie = new RandomValueCookie({ name: 'otpkit-browser', httpOnly: true, sameSite: 'lax', secure: (req) => req.secure });

/** The value of the browser's magic-link cookie, or `undefined` when it has none. */
export function linkBrowserOf(req: Request): string | undefined {
  return linkBrowserCookie.current(req);
}

/**
 * The binding of a magic link to the browser that asks for it: a random value in a session-free
 * `HttpOnly` cookie of its own (its current one, else a fresh one). Opened in another browser, the
 * link asks before it signs in. Keep it with {@link keepLinkBrowser} once the link is on its way.
 */
export function linkBrowserFor(req: Request): string {
  return linkBrowserOf(req) ?? newRandomValue();
}

/** Sets the magic-link cookie to `value` for `maxAge` ms (as long as the link lives). */
export function keepLinkBrowser(req: Request, res: Response, value: string, maxAge: number): void {
  linkBrowserCookie.set(req, res, { value, maxAge });
}

/** The plugin of `type` configured on `otp`, or `undefined`. */
function pluginOf(otp: Otp, type: string): AnyDevicePlugin | undefined {
  return otp.plugins.find((plugin) => plugin.type === type);
}

/** The challenge context for `device`: `binding` when its plugin binds ceremonies to the session, else nothing. */
export function bindingContext(otp: Otp, device: Device, binding: string | null): { session?: string } {
  return binding !== null && pluginOf(otp, device.deviceType)?.bindsSession === true ? { session: binding } : {};
}

/** The context of a challenge a request asks for: {@link bindingContext} with the session's binding, and the request's locale (the code message's language). */
export function challengeContext(req: Request, otp: Otp, device: Device): { session?: string; locale: string } {
  return { ...bindingContext(otp, device, ceremonyBinding(req)), locale: req.otp.locale };
}

/** Whether a submitted token is structured (an object, or JSON text of one), as a browser-answered ceremony's is. */
function isStructured(token: unknown): boolean {
  return (token !== null && typeof token === 'object') || (typeof token === 'string' && token.trimStart().startsWith('{'));
}

/**
 * What to verify for a submitted token: wrapped with `binding` (`{ credential, session }`) when it
 * goes to a device whose plugin binds ceremonies, or, with no device named (`match`), when it is
 * structured and such a plugin is configured; else the token unchanged.
 */
export function bindToken(otp: Otp, token: unknown, deviceType: string | null, binding: string | null): unknown {
  if (binding === null) return token;
  const binds = deviceType === null ? isStructured(token) && otp.plugins.some((plugin) => plugin.bindsSession) : pluginOf(otp, deviceType)?.bindsSession === true;
  return binds ? { credential: token, session: binding } : token;
}

/** {@link bindToken} with the request's session binding. */
export function boundToken(req: Request, otp: Otp, token: unknown, deviceType: string | null): unknown {
  return bindToken(otp, token, deviceType, ceremonyBinding(req));
}
