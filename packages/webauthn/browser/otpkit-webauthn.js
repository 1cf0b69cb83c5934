/**
 * otpkit's WebAuthn browser script: an ES module with no dependencies and no build step, served
 * from the site's own origin (so a Content-Security-Policy of `script-src 'self'` allows it).
 *
 * Used two ways:
 * - Pages mark forms with data attributes and the module wires them on load:
 *   `<form data-otpkit-webauthn="create|get|passkey" data-otpkit-options="{…JSON…}">` with a hidden
 *   input named by `data-otpkit-field` (default `credential`). Submitting the form runs the
 *   ceremony, puts the browser's credential JSON in that input, then submits. A `passkey` form also
 *   offers the passkeys of the site in the username field's autofill (conditional UI), when the
 *   browser supports it. Elements with `data-otpkit-webauthn-only` are shown only where WebAuthn
 *   exists; failures are shown in the form's `[data-otpkit-webauthn-error]` element, in the words
 *   of its `data-otpkit-messages` (JSON by `DOMException` name, `other` for the rest) when given.
 * - Single-page apps import `createCredential` and `getCredential` and post the JSON themselves.
 */

/** @param {string} text base64url */
function toBuffer(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0)).buffer;
}

/** @param {ArrayBuffer | null | undefined} buffer */
function toBase64Url(buffer) {
  if (!buffer) return undefined;
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

const descriptor = (credential) => ({ ...credential, id: toBuffer(credential.id) });

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  return {
    ...json,
    challenge: toBuffer(json.challenge),
    user: { ...json.user, id: toBuffer(json.user.id) },
    excludeCredentials: (json.excludeCredentials || []).map(descriptor),
  };
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  return { ...json, challenge: toBuffer(json.challenge), allowCredentials: (json.allowCredentials || []).map(descriptor) };
}

/** The credential as WebAuthn's JSON serialisation has it (what the server takes). */
function credentialJSON(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const { response } = credential;
  const json = {
    id: credential.id,
    rawId: toBase64Url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment || undefined,
    clientExtensionResults: credential.getClientExtensionResults(),
    response: { clientDataJSON: toBase64Url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64Url(response.attestationObject);
    json.response.transports = typeof response.getTransports === 'function' ? response.getTransports() : [];
  } else {
    json.response.authenticatorData = toBase64Url(response.authenticatorData);
    json.response.signature = toBase64Url(response.signature);
    json.response.userHandle = toBase64Url(response.userHandle);
  }
  return json;
}

/** Whether this browser has WebAuthn. */
export function isSupported() {
  return typeof window !== 'undefined' && typeof window.PublicKeyCredential === 'function' && !!navigator.credentials;
}

/**
 * Registers a credential: `options` is the JSON the server gave (an enrolment's `publicKey`).
 * Resolves to the JSON to send back to the server.
 */
export async function createCredential(options) {
  const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
  return credentialJSON(credential);
}

/**
 * Uses a credential: `options` is the JSON the server gave (a challenge's `request`).
 * `mediation: 'conditional'` waits for the user to pick a passkey in the username field's autofill.
 */
export async function getCredential(options, { mediation, signal } = {}) {
  const request = { publicKey: requestOptions(options) };
  if (mediation) request.mediation = mediation;
  if (signal) request.signal = signal;
  const credential = await navigator.credentials.get(request);
  return credentialJSON(credential);
}

/** The messages when the page gives none (otpkit's pages give theirs, in the page's language, in `data-otpkit-messages`). */
const MESSAGES = {
  NotAllowedError: 'The request was cancelled or timed out. Try again.',
  InvalidStateError: 'This authenticator is already registered.',
  SecurityError: 'This page cannot use passkeys here (check the site address).',
  other: 'Your browser could not use the authenticator.',
};

/** The error element's messages by `DOMException` name (`other` for the rest): its `data-otpkit-messages` JSON, else English. */
function messagesOf(target) {
  try {
    const given = JSON.parse(target.dataset.otpkitMessages || 'null');
    if (given && typeof given === 'object') return { ...MESSAGES, ...given };
  } catch {
    // Malformed: the built-in messages.
  }
  return MESSAGES;
}

function showError(form, error) {
  const target = form.querySelector('[data-otpkit-webauthn-error]');
  if (!target) return;
  const messages = messagesOf(target);
  const name = error && error.name;
  target.textContent = (name !== 'other' && Object.prototype.hasOwnProperty.call(messages, name) && messages[name]) || messages.other;
  target.hidden = false;
}

function fieldOf(form) {
  const name = form.dataset.otpkitField || 'credential';
  const field = form.elements.namedItem(name);
  if (!field) throw new Error(`otpkit-webauthn: the form has no field named ${name}`);
  return field;
}

function submitWith(form, json) {
  fieldOf(form).value = JSON.stringify(json);
  HTMLFormElement.prototype.submit.call(form);
}

function wire(form) {
  const mode = form.dataset.otpkitWebauthn;
  const options = JSON.parse(form.dataset.otpkitOptions || 'null');
  if (!options) return;
  let conditional = null;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      if (conditional) conditional.abort();
      const json = mode === 'create' ? await createCredential(options) : await getCredential(options);
      submitWith(form, json);
    } catch (error) {
      showError(form, error);
    }
  });
  if (mode === 'passkey' && form.dataset.otpkitAutofill !== undefined) offerAutofill(form, options, (controller) => (conditional = controller));
}

/** Offers the site's passkeys in the username field's autofill, where the browser can. */
async function offerAutofill(form, options, keep) {
  if (typeof PublicKeyCredential.isConditionalMediationAvailable !== 'function') return;
  if (!(await PublicKeyCredential.isConditionalMediationAvailable())) return;
  const controller = new AbortController();
  keep(controller);
  try {
    submitWith(form, await getCredential(options, { mediation: 'conditional', signal: controller.signal }));
  } catch (error) {
    if (error && error.name !== 'AbortError') showError(form, error);
  }
}

function start() {
  if (!isSupported()) return;
  for (const element of document.querySelectorAll('[data-otpkit-webauthn-only]')) element.hidden = false;
  for (const form of document.querySelectorAll('form[data-otpkit-webauthn]')) wire(form);
}

if (typeof document !== 'undefined') {
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}
