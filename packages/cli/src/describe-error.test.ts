import knexFactory from 'knex';
import { describe, expect, it } from 'vitest';
import { describeError, oneLine } from './describe-error.js';

/** The error knex throws for a client whose driver is not installed (oracledb is not). */
function missingDriverError(): unknown {
  try {
    knexFactory({ client: 'oracledb', connection: 'oracle://db/app', log: { error() {} } });
  } catch (error) {
    return error;
  }
  throw new Error('knex made a client without its driver');
}

describe('describeError', () => {
  const fix = "the database driver oracledb could not be loaded (Cannot find module 'oracledb'): install it in the app with npm install oracledb";

  it("keeps a missing driver's fix and reason, which knex puts on the lines after the first", () => {
    expect((missingDriverError() as Error).message.split('\n')[0]).toBe('Knex: run');
    expect(oneLine(missingDriverError())).toBe(fix);
    expect(describeError(missingDriverError())).toEqual({ code: 'ERR_OTP_STORAGE', message: `The device store failed: ${fix}` });
  });

  it('keeps the first line of any other message', () => {
    expect(oneLine(new Error('connect ECONNREFUSED 127.0.0.1:1\n    at somewhere'))).toBe('connect ECONNREFUSED 127.0.0.1:1');
    expect(oneLine('plain text\nsecond line')).toBe('plain text');
  });
});
