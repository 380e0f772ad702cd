// Times on the staff pages are shown in the centres' time zone, which the
// server names in /api/me, never in the zone of the device, and labelled
// with it. ready settles once the zone is known (Europe/London until
// then, and for anyone signed out).

import { api } from './api.js';

let zone = 'Europe/London';
let hm = null;
let hms = null;
let dt = null;

function use(name) {
  try {
    hm = new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', minute: '2-digit' });
    hms = new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', minute: '2-digit', second: '2-digit' });
    dt = new Intl.DateTimeFormat('en-GB', { timeZone: name, dateStyle: 'medium', timeStyle: 'short' });
    zone = name;
  } catch {
    // an unknown zone: keep the last good one
  }
}
use(zone);

export const ready = api('/api/me', { stay: true }).then((me) => { if (me.time_zone) use(me.time_zone); }).catch(() => {});

// zoneName is the centres' time zone, for labels.
export function zoneName() { return zone; }

// clock is the time of day of d (a Date or an ISO time), to the minute.
export function clock(d) { return hm.format(new Date(d)); }

// clockSeconds is clock to the second.
export function clockSeconds(d) { return hms.format(new Date(d)); }

// dateTime is the date and time of d, to the minute.
export function dateTime(d) { return dt.format(new Date(d)); }
