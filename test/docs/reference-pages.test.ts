import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { errorCodes, OTP_EVENT_TYPES } from '@otpkit/core';
import { cliErrorCodes } from '@otpkit/cli';
import { httpErrors } from '@otpkit/express';
import { describe, expect, it } from 'vitest';
import { docPages, ROOT } from './doc-pages.js';

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

describe('docs/events.md', () => {
  it('has a row for every event type, in the order of OTP_EVENT_TYPES', () => {
    const rows = [...page('events.md').matchAll(/^\| `(\w+)` \|/gm)].map((match) => match[1]);
    expect(rows).toEqual([...OTP_EVENT_TYPES]);
  });
});

/** The options interfaces docs/configuration.md documents, by the package whose index exports them. */
const OPTIONS: Record<string, string[]> = {
  core: ['OtpOptions', 'AuditOptions', 'UsersOptions', 'ThrottlePolicy', 'SendLimits', 'SideChannelOptions'],
  totp: ['TotpOptions'],
  hotp: ['HotpOptions'],
  static: ['StaticTokensOptions'],
  email: ['EmailOptions', 'AccountNoticesOptions'],
  sms: ['SmsOptions', 'TwilioProviderOptions', 'ConsoleProviderOptions'],
  webauthn: ['WebAuthnOptions'],
  signin: ['SignInOptions', 'SignInLimits', 'LinkMessage'],
  express: ['OtpMiddlewareOptions', 'TwoFactorPolicy', 'RememberDeviceOptions', 'OtpRequiredOptions', 'OtpLoginRouterOptions', 'TwoFactorApiOptions', 'OtpAdminRouterOptions'],
};

/** The property names of each exported options interface, read with the TypeScript checker. */
function optionProperties(): Map<string, string[]> {
  const entries = Object.keys(OPTIONS).map((pkg) => `${ROOT}packages/${pkg}/src/index.ts`);
  const program = ts.createProgram(entries, { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022, noEmit: true, skipLibCheck: true });
  const checker = program.getTypeChecker();
  const found = new Map<string, string[]>();
  for (const [pkg, names] of Object.entries(OPTIONS)) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(`${ROOT}packages/${pkg}/src/index.ts`)!)!;
    for (const exported of checker.getExportsOfModule(module).filter((symbol) => names.includes(symbol.name))) {
      const symbol = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
      found.set(exported.name, checker.getPropertiesOfType(checker.getDeclaredTypeOfSymbol(symbol)).map((property) => property.name));
    }
  }
  return found;
}

describe('docs/configuration.md', () => {
  const sections = page('configuration.md').split(/^#{2,3} /m);

  it('documents every option of createOtp, of every plugin and of the Express integration, with its default', () => {
    const properties = optionProperties();
    expect([...properties.keys()].sort()).toEqual(Object.values(OPTIONS).flat().sort());
    const missing: string[] = [];
    for (const [name, options] of properties) {
      const section = sections.find((text) => text.split('\n')[0]!.includes(`(\`${name}\`)`));
      if (section === undefined) missing.push(`section (${name})`);
      for (const option of options) if (!section?.includes(`| \`${option}\` | `)) missing.push(`${name}.${option}`);
    }
    expect(missing).toEqual([]);
  });
});

describe('links in README.md and docs/', () => {
  it('point at files and screenshots that exist', () => {
    const broken: string[] = [];
    for (const { name, text } of docPages()) {
      for (const [, target] of text.matchAll(/\]\(([^)#\s]+)(?:#[^)]*)?\)/g)) {
        if (/^[a-z]+:/.test(target!)) continue;
        if (!existsSync(join(ROOT, dirname(name), target!))) broken.push(`${name}: ${target}`);
      }
    }
    expect(broken).toEqual([]);
  });
});
