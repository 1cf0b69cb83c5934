import { randomInt } from 'node:crypto';
import type { Otp } from '@otpkit/core';
import { deviceContractSuite, type FakeClock } from '@otpkit/core/testing';
import { gridCard, type GridCardDevice } from './grid-card.js';

/**
 * The code the card's holder types: the cell asked for now (a new question when none is open),
 * read from the card as it was printed. The contract suite creates devices without enrolling
 * them, so the card is printed (enrolled) here the first time.
 */
const printedCards = new WeakMap<Otp['knex'], Map<string, Readonly<Record<string, string>>>>();
async function validToken(device: GridCardDevice, otp: Otp, clock: FakeClock): Promise<string> {
  const printed = printedCards.get(otp.knex) ?? new Map<string, Readonly<Record<string, string>>>();
  printedCards.set(otp.knex, printed);
  if (!printed.has(device.persistentId)) {
    const cells: Record<string, string> = {};
    const digest = (cell: string, code: string) =>
      otp.secretBox.digest(code, { table: 'acme_grid_card_cell', column: 'code', id: device.id, userId: device.userId });
    for (const cell of ['A1', 'A2', 'B1', 'B2']) cells[cell] = String(randomInt(1e4)).padStart(4, '0');
    await otp.knex('acme_grid_card_cell').insert(Object.entries(cells).map(([cell, code]) => ({ device_id: device.id, cell, code: digest(cell, code) })));
    printed.set(device.persistentId, cells);
  }
  let current = (await otp.deviceFromPersistentId<GridCardDevice>(device.persistentId))!;
  if (current.askedCell === null || current.askedUntil === null || current.askedUntil <= clock.now()) {
    const asked = await otp.generateChallenge(device.userId, device.persistentId);
    if (!asked.ok) throw new Error(`challenge refused: ${asked.reason}`);
    current = (await otp.deviceFromPersistentId<GridCardDevice>(device.persistentId))!;
  }
  return printed.get(device.persistentId)![current.askedCell!]!;
}

for (const secretKeys of [{}, { '1': 'c'.repeat(64) }]) {
  deviceContractSuite<GridCardDevice>({
    plugin: (factor) => gridCard({ rows: 2, columns: 2, throttle: { factor } }),
    validToken,
    otpOptions: { secretKeys },
  });
}

