import { expect, it } from 'vitest';
import { describeOnBackends } from './test-support/backend-fixture.js';
import { recordEvents } from './test-support/recorded-events.js';
import type { SequenceDevice } from './test-support/sequence-device.js';

const DAY_MS = 86_400_000;
const API = { ip: '198.51.100.4', userAgent: 'Safari on iPhone', via: 'api' };

describeOnBackends('the audit table', (fixture) => {
  it('writes every event as one row after it commits, and reads a user’s back newest first, byte-exact', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ audit: true, events: hooks });
    const device = await otp.createDevice('sequence', 'audit-carol', { confirmed: true }, API);
    await otp.verify('audit-carol', device.persistentId, device.currentToken(), API);
    await otp.verify('audit-carol', device.persistentId, 'WRONG', { via: 'views' });
    await otp.createDevice('sequence', 'Audit-Carol', { confirmed: true });
    await otp.createDevice('sequence', 'audit-carol ', { confirmed: true });

    const read = await otp.auditEvents('audit-carol');
    expect(read.map((event) => event.type)).toEqual(['failed', 'verified', 'deviceAdded']);
    const own = events.filter((event) => event.userId === 'audit-carol').reverse();
    expect(read).toEqual(own.map((event, index) => ({ ...event, id: read[index]!.id })));
    expect(read[0]!.id).toBeGreaterThan(read[1]!.id);
    expect(await otp.auditEvents('Audit-Carol')).toHaveLength(1);
  });

  it('pages with limit and before, and refuses a bad page', async () => {
    const otp = fixture.otp({ audit: true });
    for (let i = 0; i < 5; i += 1) await otp.createDevice('sequence', 'audit-pages');
    const newest = await otp.auditEvents('audit-pages', { limit: 2 });
    const next = await otp.auditEvents('audit-pages', { limit: 2, before: newest[1]!.id });
    const last = await otp.auditEvents('audit-pages', { before: next[1]!.id });
    expect([...newest, ...next, ...last].map((event) => event.id)).toEqual((await otp.auditEvents('audit-pages')).map((event) => event.id));
    expect(last).toHaveLength(1);
    for (const query of [{ limit: 0 }, { limit: 1001 }, { limit: 1.5 }, { before: -1 }, { before: Number.NaN }]) {
      await expect(otp.auditEvents('audit-pages', query)).rejects.toMatchObject({ code: 'ERR_OTP_INVALID_INPUT' });
    }
  });

  it('sweeps the rows older than the retention, and only those', async () => {
    const otp = fixture.otp({ audit: { retentionDays: 30 } });
    await otp.createDevice('sequence', 'audit-sweep', { confirmed: true });
    fixture.clock.advance(20 * DAY_MS);
    await otp.createDevice('sequence', 'audit-sweep', { confirmed: true });
    fixture.clock.advance(10 * DAY_MS + 1);
    expect(await otp.sweepAuditEvents()).toBeGreaterThanOrEqual(1);
    expect(await otp.auditEvents('audit-sweep')).toHaveLength(1);
    expect(await otp.sweepAuditEvents()).toBe(0);
    fixture.clock.advance(20 * DAY_MS);
    await otp.sweepAuditEvents();
    expect(await otp.auditEvents('audit-sweep')).toEqual([]);
  });

  it('is off by default: nothing is written, reading says how to turn it on, sweeping does nothing', async () => {
    const otp = fixture.otp();
    await otp.createDevice('sequence', 'audit-off');
    expect(await fixture.database.knex('otp_audit_event').where('user_id', 'audit-off')).toEqual([]);
    await expect(otp.auditEvents('audit-off')).rejects.toThrow('the audit table is off: turn it on with createOtp({ audit: true })');
    expect(await otp.sweepAuditEvents()).toBe(0);
  });

  it('holds no token or secret in any event or row', async () => {
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ audit: true, events: hooks });
    const device = await otp.createDevice('sequence', 'audit-secrets', { confirmed: true });
    const token = device.currentToken();
    const secret = token.slice(0, -1);
    await otp.verify('audit-secrets', device.persistentId, token);
    await otp.verify('audit-secrets', device.persistentId, `${secret}9`);
    fixture.clock.advanceSeconds(5);
    await otp.match('audit-secrets', `${secret}1`);
    const remembered = await otp.browsers.remember('audit-secrets', device.persistentId, { ttlSeconds: 60 });
    await otp.browsers.forgetToken('audit-secrets', remembered.token);
    const rows = await fixture.database.knex('otp_audit_event').where('user_id', 'audit-secrets');
    expect(rows).toHaveLength(6);
    const written = JSON.stringify(rows) + JSON.stringify(events) + JSON.stringify(await otp.auditEvents('audit-secrets'));
    for (const value of [secret, remembered.token]) expect(written).not.toContain(value);
  });

  it('a row that cannot be written is logged, and the change stands and is still reported to its hook', async () => {
    const warnings: string[] = [];
    const { events, hooks } = recordEvents();
    const otp = fixture.otp({ audit: true, events: hooks, logger: { warn: (message) => warnings.push(message) } });
    const { knex } = fixture.database;
    await knex.schema.renameTable('otp_audit_event', 'otp_audit_event_away');
    try {
      const device = await otp.createDevice('sequence', 'audit-down', { confirmed: true });
      expect(await otp.verify('audit-down', device.persistentId, device.currentToken())).toMatchObject({ ok: true });
    } finally {
      await knex.schema.renameTable('otp_audit_event_away', 'otp_audit_event');
    }
    expect(events.map((event) => event.type)).toEqual(['deviceAdded', 'verified']);
    expect(warnings.filter((warning) => warning.startsWith('the audit row'))).toEqual([
      expect.stringMatching(/^the audit row of a deviceAdded event could not be written \(.+\); the change stands$/),
      expect.stringMatching(/^the audit row of a verified event could not be written \(.+\); the change stands$/),
    ]);
  });
});
