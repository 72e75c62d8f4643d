// What the operator is asked before a quantity or a finish is sent: a finish below the
// planned quantity, or a quantity far above what is left of the order, is asked about once
// (a slip on the keypad, 25 for 2.5, costs a correction later; a question costs a tap now).

import { confirmDialog } from './dialogs.js';
import { fmtQty } from './format.js';
import { t } from './i18n.js';

/** Far above: more than half again what is left, and at least two more than that. */
export const farAbove = (qty, left) => qty > Math.max(left * 1.5, left + 2);

/** Resolves true when the quantity may be sent: plausible, or confirmed. what: 'good' or
 * 'scrapped'. */
export async function confirmQuantity(wo, qty, what) {
  const left = Math.max(0, (wo.planned || 0) - wo.good);
  if (!farAbove(qty, left)) return true;
  const params = { qty: fmtQty(qty), uom: wo.uom, left: fmtQty(left), count: left, wo: wo.name, good: fmtQty(wo.good), planned: fmtQty(wo.planned) };
  const ok = await confirmDialog(t(what === 'good' ? 'quantity.far_title_good' : 'quantity.far_title_scrapped', params),
    t('quantity.far_text', params), t('quantity.far_ok', params));
  return ok === true;
}

/** The finish question; below the planned quantity it says so and asks to finish short. */
export async function confirmFinish(wo) {
  const short = wo.good < (wo.planned || 0);
  const params = { wo: wo.name, good: fmtQty(wo.good), planned: fmtQty(wo.planned), uom: wo.uom, scrap: fmtQty(wo.scrap), missing: fmtQty((wo.planned || 0) - wo.good) };
  const counts = t('finish.counts', params);
  const ok = short
    ? await confirmDialog(t('finish.short_title', params), `${counts} ${t('finish.short_text', params)}`, t('finish.short_ok', params), 'btn-finish')
    : await confirmDialog(t('finish.title', params), `${counts} ${t('finish.text')}`, t('finish.ok'), 'btn-finish');
  return ok === true;
}
