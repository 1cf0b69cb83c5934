/**
 * A device plugin written outside otpkit, the way docs/plugins.md teaches: a printed grid card
 * (as banks hand out), whose cells hold short codes. A challenge asks for one cell, chosen at
 * random and kept server-side until it expires; the answer is the code in that cell. Nothing here
 * writes SQL or a migration: the columns and the cells are declared once, and otpkit does the rest.
 */
import { randomInt } from 'node:crypto';
import {
  checkOptionKeys,
  ConfigurationError,
  defineDevicePlugin,
  Device,
  type ChallengeIssue,
  type CheckResult,
  type EnrolContext,
  type EnrolmentResult,
  type ThrottlePolicy,
  type VerifyContext,
} from '@otpkit/core';

// #region options
/** The options of {@link gridCard}. */
export interface GridCardOptions {
  /** Rows on a card, lettered from A (1 to 26). @default 5 */
  readonly rows: number;
  /** Columns on a card, numbered from 1 (1 to 9). @default 5 */
  readonly columns: number;
  /** Digits in a cell (4 to 8). @default 4 */
  readonly digits: number;
  /** Seconds a cell asked for stays answerable. @default 300 */
  readonly validitySeconds: number;
  /** Throttling of failed answers. @default { factor: 1 } */
  readonly throttle: Partial<ThrottlePolicy>;
}

const DEFAULTS: GridCardOptions = Object.freeze({ rows: 5, columns: 5, digits: 4, validitySeconds: 300, throttle: Object.freeze({ factor: 1 }) });

/** Validates and fills in the options. @throws ConfigurationError naming the option */
function resolveOptions(input: Partial<GridCardOptions>): GridCardOptions {
  checkOptionKeys('gridCard', input, Object.keys(DEFAULTS));
  const options = { ...DEFAULTS, ...input };
  const ranges = { rows: [1, 26], columns: [1, 9], digits: [4, 8], validitySeconds: [1, 3600] } as const;
  for (const [name, [min, max]] of Object.entries(ranges)) {
    const value = options[name as keyof typeof ranges];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new ConfigurationError(`gridCard: ${name} must be an integer from ${min} to ${max}`);
    }
  }
  return Object.freeze(options);
}
// #endregion options

// #region model
/** The card as it is printed, once, at enrolment: its serial and every cell's code. */
export interface GridCardPrint {
  readonly serial: number;
  readonly cells: Readonly<Record<string, string>>;
  /** The message of the first challenge: which cell confirms the card. */
  readonly ask: string;
}

/** A printed grid card: rows × columns cells of `digits` digits, one asked for at a time. */
export class GridCardDevice extends Device<GridCardOptions> {
  static override readonly deviceType = 'gridcard';
  static override tableName = 'acme_grid_card_device';
  static override readonly columns = { serial: 'bigint', layout: 'json', askedCell: 'text?', askedUntil: 'time?' } as const;
  static override readonly children = {
    cells: { table: 'acme_grid_card_cell', columns: { cell: 'text', code: 'digest' } },
  } as const;

  /** The number printed on the card. */
  declare serial: number;
  /** The card's shape, as printed. */
  declare layout: { readonly rows: number; readonly columns: number };
  /** The cell the last challenge asked for (`C4`), or `null`. */
  declare askedCell: string | null;
  /** Until when (epoch ms) that cell may be answered. */
  declare askedUntil: number | null;

  /** Accepts the code in the cell asked for, once, before the question expires. */
  check(token: string, context: VerifyContext): CheckResult<GridCardDevice> {
    if (this.askedCell === null || this.askedUntil === null || context.now >= this.askedUntil) return null;
    const cell = context.findChild('cells', { cell: this.askedCell, code: token });
    return cell === null ? null : { patch: { askedCell: null, askedUntil: null } };
  }

  /** Asks for a random cell; the question is kept on the device until it expires. */
  override issueChallenge(now: number): ChallengeIssue<GridCardDevice> {
    const cell = `${String.fromCharCode(65 + randomInt(this.layout.rows))}${1 + randomInt(this.layout.columns)}`;
    const validUntil = now + this.options.validitySeconds * 1000;
    return {
      patch: { askedCell: cell, askedUntil: validUntil },
      validUntil,
      deliver: async () => `Type the code in cell ${cell} of card ${this.serial}`,
    };
  }

  /** Prints the card (every cell, shown once) and asks for the first cell, which confirms it. */
  override async enroll(context: EnrolContext): Promise<EnrolmentResult<GridCardPrint>> {
    const cells: Record<string, string> = {};
    for (let row = 0; row < this.layout.rows; row += 1) {
      for (let column = 1; column <= this.layout.columns; column += 1) {
        cells[`${String.fromCharCode(65 + row)}${column}`] = String(randomInt(10 ** this.options.digits)).padStart(this.options.digits, '0');
      }
    }
    await context.children.replace('cells', Object.entries(cells).map(([cell, code]) => ({ cell, code })));
    const asked = await context.challenge();
    if (!asked.ok) return { refused: asked };
    return { display: { serial: this.serial, cells, ask: asked.message } };
  }
}
// #endregion model

// #region plugin
/** The grid-card device plugin. @throws ConfigurationError for bad options */
export function gridCard(input: Partial<GridCardOptions> = {}) {
  const options = resolveOptions(input);
  return defineDevicePlugin({
    model: GridCardDevice,
    options,
    throttle: options.throttle,
    // One guess is one cell's code.
    tokenEntropyBits: options.digits * Math.log2(10),
    defaultName: 'Grid card',
    initialize: () => ({
      serial: randomInt(1e9, 1e10),
      layout: { rows: options.rows, columns: options.columns },
      askedCell: null,
      askedUntil: null,
    }),
  });
}
// #endregion plugin
