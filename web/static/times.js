// Times on the pages are shown in the centres' time zone, which the server
// names in every page's head (meta accredit-time-zone), never in the zone
// of the device, and labelled with it. Times typed into a form are read in
// the same zone.

const meta = document.querySelector('meta[name="accredit-time-zone"]');

let zone = 'Europe/London';
let hm = null;
let hms = null;
let dt = null;
let long = null;
let parts = null;

function use(name) {
  try {
    hm = new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', minute: '2-digit' });
    hms = new Intl.DateTimeFormat('en-GB', { timeZone: name, hour: '2-digit', minute: '2-digit', second: '2-digit' });
    dt = new Intl.DateTimeFormat('en-GB', { timeZone: name, dateStyle: 'medium', timeStyle: 'short' });
    long = new Intl.DateTimeFormat('en-GB', { timeZone: name, dateStyle: 'long' });
    parts = new Intl.DateTimeFormat('en-US', {
      timeZone: name, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    zone = name;
  } catch {
    // an unknown zone: keep the last good one
  }
}
use(zone);
if (meta && meta.content) use(meta.content);

// zoneName is the centres' time zone, for labels.
export function zoneName() { return zone; }

// clock is the time of day of d (a Date or an ISO time), to the minute.
export function clock(d) { return hm.format(new Date(d)); }

// clockSeconds is clock to the second.
export function clockSeconds(d) { return hms.format(new Date(d)); }

// dateTime is the date and time of d, to the minute.
export function dateTime(d) { return dt.format(new Date(d)); }

// longDate is the date of d, its month in words.
export function longDate(d) { return long.format(new Date(d)); }

// offsetAt is how far the zone's wall clock is ahead of UTC at the instant
// ms (milliseconds since the epoch), in milliseconds.
function offsetAt(ms) {
  const p = Object.fromEntries(parts.formatToParts(new Date(ms)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(ms / 1000) * 1000;
}

// fromWallTime reads a datetime-local value ("2026-06-20T09:30", seconds
// optional) as a time on the centres' wall clock and returns the instant,
// or null when the value is not such a time. A wall time that occurs twice
// (clocks going back) is read as the later; one skipped (clocks going
// forward) as the instant an hour on.
export function fromWallTime(value) {
  const m = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d)(?::(\d\d))?$/.exec(value);
  if (!m) return null;
  const wall = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6] || 0));
  let t = wall - offsetAt(wall);
  t = wall - offsetAt(t); // the offset at the instant itself, across a change of clocks
  return new Date(t);
}
