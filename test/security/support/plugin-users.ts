import type { PluginApp } from '../../express/support/plugin-otp.js';
import { addUser } from '../../../packages/express/src/test-support/users.js';

let users = 0;

/** A new user of the plugin app (password `password`) with confirmed backup codes: its id, username, codes and the device's id. */
export async function userWithBackupCodes(app: PluginApp, email: string | null = null): Promise<{ userId: number; username: string; codes: string[]; backup: string }> {
  users += 1;
  const username = `security-user-${users}`;
  const userId = await addUser(app.otp.knex, username, 'password', email);
  const enrolled = await app.otp.enroll('static', userId);
  if (!enrolled.ok) throw new Error(`no backup codes: ${enrolled.reason}`);
  return { userId, username, codes: [...enrolled.display.codes], backup: enrolled.device.persistentId };
}

/** A new user of the plugin app with no device at all. */
export async function userWithoutDevice(app: PluginApp, email: string | null = null): Promise<number> {
  users += 1;
  return addUser(app.otp.knex, `security-user-${users}`, 'password', email);
}

/** Creates an unconfirmed (or confirmed) email device at `address` for the user and mails it a code; returns its persistent id and the code. */
export async function emailDeviceWithCode(app: PluginApp, userId: number, address: string | null, confirmed: boolean): Promise<{ id: string; code: string }> {
  const device = await app.otp.createDevice('email', userId, { email: address, confirmed });
  const sent = await app.otp.generateChallenge(userId, device.persistentId);
  if (!sent.ok) throw new Error(`no code was sent: ${sent.reason}`);
  const to = address ?? ((await app.otp.users.findById(userId))?.email as string);
  return { id: device.persistentId, code: app.smtp.lastTokenTo(to) };
}
