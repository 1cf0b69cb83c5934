import { readFileSync } from 'node:fs';
import { errorCodes } from '@otpkit/core';
import { cliErrorCodes } from '@otpkit/cli';
import { httpErrors } from '@otpkit/express';
import { describe, expect, it } from 'vitest';
import { ROOT } from './doc-pages.js';

const page = (name: string) => readFileSync(`${ROOT}docs/${name}`, 'utf8');

describe('docs/errors.md', () => {
  const errors = page('errors.md');
  const rows = (codes: string[]) => codes.filter((code) => !errors.includes(`| \`${code}\` |`));

  it('has a row for every ERR_OTP_* code of core, with its default message', () => {
    expect(rows(Object.keys(errorCodes))).toEqual([]);
    for (const [code, message] of Object.entries(errorCodes)) expect(errors).toMatch(new RegExp(`\\| \`${code}\` \\| \`\\w+\` \\| ${message} \\|`));
  });

  it('has a row for every HTTP error code of @otpkit/express, with its status and message', () => {
    expect(rows(Object.keys(httpErrors))).toEqual([]);
    for (const [code, { status, message }] of Object.entries(httpErrors)) expect(errors).toContain(`| \`${code}\` | ${status} | ${message} |`);
  });

  it('has a row for every code of the command line', () => {
    expect(rows(Object.keys(cliErrorCodes))).toEqual([]);
  });
});
