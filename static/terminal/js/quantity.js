// What the operator is asked before a quantity or a finish is sent: a finish below the
// planned quantity, or a quantity far above what is left of the order, is asked about once
// (a slip on the keypad, 25 for 2.5, costs a correction later; a question costs a tap now).

import { confirmDialog } from './dialogs.js';
import { fmtQty } from './util.js';

/** Far above: more than half again what is left, and at least two more than that. */
export const farAbove = (qty, left) => qty > Math.max(left * 1.5, left + 2);

/** Resolves true when the quantity may be sent: plausible, or confirmed. */
export async function confirmQuantity(wo, qty, what) {
  const left = Math.max(0, (wo.planned || 0) - wo.good);
  if (!farAbove(qty, left)) return true;
  const ok = await confirmDialog(`${fmtQty(qty)} ${wo.uom} ${what}?`,
    `Only ${fmtQty(left)} ${wo.uom} ${left === 1 ? 'is' : 'are'} left to make on ${wo.name} `
    + `(${fmtQty(wo.good)} of ${fmtQty(wo.planned)} done). Is ${fmtQty(qty)} right?`,
    `Yes, ${fmtQty(qty)} ${wo.uom}`);
  return ok === true;
}

/** The finish question; below the planned quantity it says so and asks to finish short. */
export async function confirmFinish(wo) {
  const short = wo.good < (wo.planned || 0);
  const counts = `Good ${fmtQty(wo.good)} of ${fmtQty(wo.planned)} ${wo.uom}, scrap ${fmtQty(wo.scrap)}.`;
  const ok = short
    ? await confirmDialog(`Finish ${wo.name} short?`,
      `${counts} ${fmtQty(wo.planned - wo.good)} ${wo.uom} will not be made on this order. The running time of everyone on it stops.`,
      `Finish short (${fmtQty(wo.good)} of ${fmtQty(wo.planned)})`, 'btn-finish')
    : await confirmDialog(`Finish ${wo.name}?`, `${counts} The running time of everyone on it stops.`,
      'Finish work order', 'btn-finish');
  return ok === true;
}
