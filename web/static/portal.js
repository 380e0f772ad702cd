// The candidate's portal: sign in with the personal code, see the practice
// endorsement and what blocks a booking, book a knowledge sitting and a
// role-play slot with reasonable adjustments, and see each booking's
// access code.

import { api } from './api.js';
import { $, el } from './dom.js';
import { dateTime, zoneName } from './times.js';

// Times in the tables are in the centres' zone, which their headers name;
// a time in a sentence names it itself.
const when = dateTime;
const whenLabelled = (t) => `${dateTime(t)} (${zoneName()} time)`;
$('bookings-when').textContent = `Where and when (${zoneName()})`;
$('events-when').textContent = `When (${zoneName()})`;
const kinds = { knowledge: 'Knowledge test', roleplay: 'Role-play' };

function adjustments() {
  const a = {
    time_factor: Number($('time-factor').value), larger_text: $('larger-text').checked,
    rest_breaks: $('rest-breaks').checked, separate_room: $('separate-room').checked,
  };
  if (!a.time_factor) delete a.time_factor;
  return a;
}

function describe(a) {
  const out = [];
  if (a && a.time_factor) out.push(`time ×${a.time_factor}`);
  if (a && a.larger_text) out.push('larger text');
  if (a && a.rest_breaks) out.push('rest breaks');
  if (a && a.separate_room) out.push('separate room');
  return out.join(', ') || 'none';
}

async function act(path, body, done) {
  $('message').textContent = '';
  try {
    await api(path, { body, stay: true });
    $('status').textContent = done;
    await show();
  } catch (e) {
    $('message').textContent = e.message;
  }
}

function bookButton(label, body) {
  return el('button', { type: 'button', class: 'book', text: label,
    onclick: () => act('/api/portal/bookings', { ...body, adjustments: adjustments() }, 'Booked: your access code will be shown below on the day.') });
}

async function show() {
  document.dispatchEvent(new Event('accredit:who')); // the header asks again
  let me;
  try {
    me = await api('/api/portal/me', { stay: true });
  } catch (e) {
    if (e.status !== 401) throw e;
    $('me').hidden = true;
    $('signin').hidden = false;
    return;
  }
  $('signin').hidden = true;
  $('me').hidden = false;
  const e = me.endorsements[me.endorsements.length - 1];
  $('endorsement').textContent = !e ? 'No practice endorsement yet.'
    : e.withdrawn ? `Withdrawn: ${e.withdrawn_reason}`
      : e.outcome === 'ready' ? `Endorsed as ready for ${e.status} by ${e.supervisor}, until ${whenLabelled(e.expires)}.`
        : `Not yet: ${e.reason}`;
  $('blocked').textContent = me.blocked.length ? `You cannot book yet: ${me.blocked.map((r) => r.message).join('; ')}` : 'You may book.';
  const live = me.bookings.filter((b) => b.state === 'live' || b.state === 'pending');
  $('bookings').tBodies[0].replaceChildren(...live.map((b) => el('tr', { 'data-booking': b.id },
    el('td', { text: kinds[b.kind] }),
    el('td', { text: `${b.event}${b.slot ? ' slot ' + b.slot : ''}, ${when(b.start)}` }),
    b.code ? el('td', { class: 'access-code psy-mono', text: b.code })
      : el('td', { class: 'code-later', text: `Shown here on the day, from ${when(b.code_from)}` }),
    el('td', { text: describe(b.adjustments) + (b.adjustments && !b.approved ? ' (awaiting approval)' : '') }),
    el('td', { text: b.state }),
    el('td', {}, el('button', { type: 'button', text: 'Cancel',
      onclick: () => act(`/api/portal/bookings/${encodeURIComponent(b.id)}/cancel`, {}, 'Booking cancelled.') })),
  )));
  const { events } = await api('/api/portal/events', { stay: true });
  const rows = [];
  for (const ev of events) {
    if (ev.sitting) {
      const s = ev.sitting;
      rows.push(el('tr', { 'data-event': s.id }, el('td', { text: `${kinds.knowledge} (${s.status})` }), el('td', { text: s.centre }),
        el('td', { text: `${when(s.start)}, ${s.session}` }), el('td', { text: String(ev.free[''] ?? 0) }),
        el('td', {}, bookButton(`Book ${s.id}`, { kind: 'knowledge', event: s.id }))));
    } else {
      for (const sl of ev.day.slots) {
        rows.push(el('tr', { 'data-event': `${ev.day.id}/${sl.id}` }, el('td', { text: `${kinds.roleplay} (${ev.day.status})` }),
          el('td', { text: ev.day.centre }), el('td', { text: when(sl.start) }), el('td', { text: String(ev.free[sl.id] ?? 0) }),
          el('td', {}, bookButton(`Book ${ev.day.id} ${sl.id}`, { kind: 'roleplay', event: ev.day.id, slot: sl.id }))));
      }
    }
  }
  $('events').tBodies[0].replaceChildren(...rows);
}

$('signin').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('message').textContent = '';
  try {
    await api('/api/portal/login', { body: { code: $('code').value }, stay: true });
    $('code').value = '';
    await show();
  } catch (e) {
    $('message').textContent = e.message;
  }
});
// The header's Sign out ends the portal session here, so the page can say so.
document.addEventListener('accredit:signout', (ev) => { ev.preventDefault(); act('/api/portal/logout', {}, 'Signed out.'); });
show().catch((e) => { $('message').textContent = e.message; });
