import type { OutboxMessage } from '../outbox.js';
import { html, Html } from './html.js';

/** A device row of the device list. */
export interface DeviceRow {
  readonly persistentId: string;
  readonly type: string;
  readonly name: string;
  readonly confirmed: boolean;
  readonly lastUsedAt: number | null;
  /** The authenticator model and kind of a passkey or security key (from its plugin's details), else `null`. */
  readonly authenticator: string | null;
}

const hidden = (csrf: string) => html`<input type="hidden" name="_csrf" value="${csrf}">`;
const errorBox = (error: string | null) => (error === null ? '' : html`<p class="error" role="alert">${error}</p>`);

/** The home page. */
export function homePage(signedIn: boolean): Html {
  return html`<h1>otpkit demo</h1>
<p>A small Express app protected by otpkit: register, log in, add an authenticator app, backup codes
or an email device, then open the <a href="/secret">secret page</a>, which needs a second factor.</p>
${signedIn ? html`<p><a href="/devices">Manage your devices</a></p>` : html`<p><a href="/register">Register</a> or <a href="/account/login">log in</a>.</p>`}`;
}

/** The registration form. */
export function registerPage(csrf: string, error: string | null, values: { username?: string; email?: string } = {}): Html {
  return html`<h1>Register</h1>${errorBox(error)}
<form method="post" action="/register">${hidden(csrf)}
<label for="username">Username</label><input type="text" id="username" name="username" autocomplete="username" required value="${values.username ?? ''}">
<label for="email">Email</label><input type="email" id="email" name="email" autocomplete="email" required value="${values.email ?? ''}">
<label for="password">Password (8 characters or more)</label><input type="password" id="password" name="password" autocomplete="new-password" required>
<button>Create account</button></form>`;
}

/** The device list with a remove button per device and the ways to add one. */
export function devicesPage(csrf: string, devices: readonly DeviceRow[], notice: string | null): Html {
  const rows = devices.map(
    (device) => html`<tr><td>${device.name}</td><td>${device.type}</td>
<td><span class="badge${device.confirmed ? ' ok' : ''}">${device.confirmed ? 'confirmed' : 'unconfirmed'}</span></td>
<td>${device.lastUsedAt === null ? 'never' : new Date(device.lastUsedAt).toISOString().slice(0, 16).replace('T', ' ')}</td>
<td>${device.authenticator ?? ''}</td>
<td><form class="inline" method="post" action="/devices/remove">${hidden(csrf)}<input type="hidden" name="device" value="${device.persistentId}"><button class="danger">Remove</button></form></td></tr>`,
  );
  return html`<h1>Your devices</h1>${notice === null ? '' : html`<p class="notice">${notice}</p>`}
${devices.length === 0 ? html`<p>No devices yet: the secret page lets you in without a second factor until you add one.</p>`
    : html`<table><thead><tr><th>Name</th><th>Type</th><th>Status</th><th>Last used (UTC)</th><th>Authenticator</th><th></th></tr></thead><tbody>${rows}</tbody></table>`}
<h2>Add a device</h2>
<form class="inline" method="post" action="/devices/totp">${hidden(csrf)}<button>Authenticator app</button></form>
<form class="inline" method="post" action="/devices/backup-codes">${hidden(csrf)}<button>Backup codes</button></form>
<form class="inline" method="get" action="/devices/email"><button>Email</button></form>
<form class="inline" method="post" action="/devices/passkey">${hidden(csrf)}<button>Add a passkey</button></form>`;
}

/**
 * Registration of a passkey or security key: the browser script (served by the login views) runs
 * `navigator.credentials.create` with the options and posts the answer back.
 */
export function passkeySetupPage(csrf: string, setup: { persistentId: string; publicKey: object }, error: string | null): Html {
  return html`<h1>Add a passkey</h1>
<p>Your browser will ask you to create a passkey for this site: on this device (fingerprint, face, PIN), on your phone, or on a security key.</p>${errorBox(error)}
<form method="post" action="/devices/passkey/confirm" data-otpkit-webauthn="create" data-otpkit-options="${JSON.stringify(setup.publicKey)}">${hidden(csrf)}
<input type="hidden" name="device" value="${setup.persistentId}"><input type="hidden" name="credential" value="">
<p class="error" role="alert" data-otpkit-webauthn-error hidden></p>
<button>Create the passkey</button></form>`;
}

/** Enrolment of an authenticator app: the QR code, the key to type, and the confirmation form. */
export function totpSetupPage(csrf: string, setup: { persistentId: string; qrDataUrl: string; key: string; uri: string }, error: string | null): Html {
  return html`<h1>Set up an authenticator app</h1>
<p>Scan the code with an authenticator app (Google Authenticator, Aegis, 1Password…), or type the key.</p>
<img class="qr" src="${setup.qrDataUrl}" alt="QR code of the otpauth URI">
<p>Key: <span class="key">${setup.key}</span></p>${errorBox(error)}
<form method="post" action="/devices/confirm">${hidden(csrf)}<input type="hidden" name="device" value="${setup.persistentId}">
<label for="token">Enter the 6-digit code the app shows</label>
<input type="text" id="token" name="token" inputmode="numeric" autocomplete="one-time-code" required>
<button>Confirm</button></form>`;
}

/** Freshly generated backup codes, shown once. */
export function backupCodesPage(codes: readonly string[]): Html {
  return html`<h1>Your backup codes</h1>
<p class="notice">Keep these somewhere safe: each works once, and this is the only time they are shown.</p>
<ul class="codes">${codes.map((code) => html`<li>${code}</li>`)}</ul>
<p><a href="/devices">Back to your devices</a></p>`;
}

/** The email device form: the address, then the code that was sent. */
export function emailSetupPage(csrf: string, state: { address: string; persistentId: string | null; message: string | null }, error: string | null): Html {
  if (state.persistentId === null) {
    return html`<h1>Add an email device</h1>${errorBox(error)}
<form method="post" action="/devices/email">${hidden(csrf)}
<label for="email">Send codes to</label><input type="email" id="email" name="email" required value="${state.address}">
<button>Send a code</button></form>`;
  }
  return html`<h1>Confirm your email device</h1><p class="notice">${state.message}</p>${errorBox(error)}
<form method="post" action="/devices/confirm">${hidden(csrf)}<input type="hidden" name="device" value="${state.persistentId}">
<label for="token">Enter the code from the message</label>
<input type="text" id="token" name="token" inputmode="numeric" autocomplete="one-time-code" required>
<button>Confirm</button></form>`;
}

/** The page guarded by otpRequired. */
export function secretPage(username: string, deviceName: string | null): Html {
  return html`<h1>Secret page</h1>
<p>Hello ${username}. ${deviceName === null ? 'You have no device yet, so no second factor was asked.' : html`You verified with <strong>${deviceName}</strong>.`}</p>
<p>This route is wrapped in <code>otpRequired({ loginUrl: '/account/login', ifConfigured: true })</code>.</p>`;
}

/** The development outbox: the signed-in user's own messages. */
export function outboxPage(messages: readonly OutboxMessage[]): Html {
  return html`<h1>Development outbox</h1>
<p class="notice">SMTP_URL is not set, so mail stays here instead of being sent. You see the messages
sent to your account's address and to your confirmed email devices.</p>
${messages.length === 0 ? html`<p>No messages yet.</p>` : messages.map(
      (message) => html`<article><h2>${message.subject}</h2><p>To ${message.to} at ${new Date(message.sentAt).toISOString()}</p><pre>${message.text}</pre></article>`,
    )}`;
}
