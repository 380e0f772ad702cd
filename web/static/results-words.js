// The words of the results pages: outcomes and elements as people read
// them, and days in the centres' time zone. No page shows a grade: there
// is none.

import { dateTime, longDate } from './times.js';

export const OUTCOMES = {
  met: 'Standard met',
  partially_met: 'Standard partially met',
  not_met: 'Standard not met',
  incomplete: 'No decision yet',
};

export const ELEMENTS = {
  knowledge: 'Knowledge test',
  role_play: 'Simulated practice (role-play)',
};

export const outcomeName = (o) => OUTCOMES[o] || o;
export const elementName = (e) => ELEMENTS[e] || e;
export const elementList = (es) => (es || []).map(elementName).join(', ');

// day is the date of t (an ISO time) where the centres are; dateTime its
// date and time there.
export const day = longDate;
export { dateTime };

// resitText says what may be re-sat and when, or '' for nothing.
export function resitText(v) {
  if (!v.resit || v.resit.length === 0) return '';
  let t = `Re-sit: ${elementList(v.resit)}`;
  if (v.resit_from) t += `, from ${day(v.resit_from)}`;
  if (v.resit_by) t += `, by ${day(v.resit_by)}`;
  return `${t}.`;
}
