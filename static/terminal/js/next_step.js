// What the operator can do now on a work order, and what comes next: each action either
// applies or has a reason it does not (shown on its disabled button), and one action is the
// expected next step (highlighted). Pure: a function of the derived work order (derive.js).

/** The order's state as the band shows it: running (someone's time runs), paused (started
 * before, nobody on it now), down (the machine), finished, or not started. */
export function bandState(wo, down) {
  if (wo.state === 'done') return 'finished';
  if (down) return 'down';
  if (wo.ops.length) return 'running';
  return wo.state === 'progress' || wo.good > 0 ? 'paused' : 'not_started';
}

/** Blocking checks the server says are due and this tablet has not just done. */
export function blockingDue(wo) {
  return (wo.checksDue || []).filter((c) => c.blocking && !(wo.checkedUnseen || []).includes(c.point_id));
}

/** {why: {action: [key, params] | null}, next: action | 'check:<point id>' | null} */
export function plan(wo, { down, hasBadge }) {
  const actions = ['start', 'stop', 'produce', 'plus-one', 'scrap', 'consume', 'downtime-start', 'downtime-end', 'finish'];
  const why = Object.fromEntries(actions.map((a) => [a, null]));
  const all = (reason) => { for (const a of actions) why[a] = reason; };
  if (wo.state === 'done') {
    all(['why.finished']);
    return { why, next: null };
  }
  if (!hasBadge) {
    all(['why.no_badge']);
    return { why, next: null };
  }
  const someoneOn = wo.ops.length > 0;
  const blocking = blockingDue(wo);
  for (const a of ['produce', 'plus-one', 'scrap', 'consume']) if (!someoneOn) why[a] = ['why.start_first'];
  if (blocking.length) for (const a of ['produce', 'plus-one']) why[a] = why[a] || ['why.check_due', { name: blocking[0].name }];
  if (!wo.components.length) why.consume = ['why.no_components'];
  if (wo.state !== 'progress' && !someoneOn && !wo.good) why.finish = ['why.not_started'];
  else if (blocking.length) why.finish = ['why.check_due', { name: blocking[0].name }];
  let next;
  if (down) next = 'downtime-end';
  else if (!wo.meRunning) next = 'start';
  else if (blocking.length) next = `check:${blocking[0].point_id}`;
  else if (wo.planned && wo.good >= wo.planned) next = 'finish';
  else next = 'produce';
  return { why, next };
}
