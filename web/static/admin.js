// The programme administrator's page: employers, people and their personal
// codes, CSV imports with every fault located, sittings and role-play
// days, and the adjustments awaiting approval.

import { api } from './api.js';
import { $, el } from './dom.js';
import { dateTime, fromWallTime, zoneName } from './times.js';

const when = dateTime;
$('events-when').textContent = `When (${zoneName()})`;
$('s-start-label').textContent = `Start (${zoneName()})`;
const cells = (...xs) => xs.map((x) => (x instanceof Node ? el('td', {}, x) : el('td', { text: String(x ?? '') })));

async function run(f, done) {
  $('message').textContent = '';
  try {
    await f();
    if (done) $('status').textContent = done;
    await show();
  } catch (e) {
    $('message').textContent = e.message;
  }
}

function codeButton(p) {
  const b = el('button', { type: 'button', text: 'Show' });
  b.onclick = async () => {
    const { code } = await api(`/api/admin/people/${encodeURIComponent(p.id)}/portal-code`);
    b.replaceWith(el('span', { class: 'psy-mono', text: code }));
  };
  return b;
}

const describe = (a) => Object.entries(a || {}).map(([k, v]) => (v === true ? k : `${k} ${v}`)).join(', ');

async function show() {
  const [{ employers }, { people }, { events }, { bookings }] = await Promise.all([
    api('/api/admin/employers'), api('/api/admin/people'), api('/api/admin/events'),
    api('/api/admin/bookings?pending=adjustments')]);
  $('employers').tBodies[0].replaceChildren(...employers.map((e) => el('tr', {}, ...cells(e.id, e.name, e.region, e.phase, e.rating))));
  $('people').tBodies[0].replaceChildren(...people.map((p) => el('tr', {},
    ...cells(p.id, p.name, p.registration, p.employer, p.employment, p.started, p.seeks, codeButton(p)))));
  $('events').tBodies[0].replaceChildren(...events.map((ev) => {
    const s = ev.sitting;
    if (s) return el('tr', {}, ...cells('knowledge', s.id, s.centre, `${when(s.start)} ${s.session}`, s.status, ev.free[''] ?? 0));
    const d = ev.day;
    return el('tr', {}, ...cells('role-play', d.id, d.centre, d.slots.map((sl) => when(sl.start)).join('; '), d.status,
      d.slots.map((sl) => `${sl.id}: ${ev.free[sl.id] ?? 0}`).join(', ')));
  }));
  $('pending').tBodies[0].replaceChildren(...bookings.map((b) => el('tr', {}, ...cells(b.person, b.id, b.event, describe(b.adjustments),
    el('button', { type: 'button', text: 'Approve', onclick: () => run(() => api(
      `/api/admin/people/${encodeURIComponent(b.person)}/bookings/${encodeURIComponent(b.id)}/approve`, { body: {} }), 'Approved.') })))));
}

$('employer').addEventListener('submit', (ev) => {
  ev.preventDefault();
  run(() => api('/api/admin/employers', { body: {
    id: $('e-id').value, name: $('e-name').value, region: $('e-region').value, phase: $('e-phase').value, rating: $('e-rating').value,
  } }), 'Employer added.');
});

$('sitting').addEventListener('submit', (ev) => {
  ev.preventDefault();
  const start = fromWallTime($('s-start').value);
  if (!start) {
    $('message').textContent = 'Give the start as a date and a time.';
    return;
  }
  run(() => api('/api/admin/sittings', { body: {
    id: $('s-id').value, centre: $('s-centre').value, start: start.toISOString(),
    session: $('s-session').value, capacity: Number($('s-capacity').value), form: $('s-form').value,
    rejoin_approval: $('s-rejoin').checked, rejoin_grace_seconds: Number($('s-grace').value),
  } }), 'Sitting added.');
});

$('import').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  $('faults').replaceChildren();
  const file = $('import-file').files[0];
  if (!file) return;
  const kind = $('import-kind').value;
  const csv = await file.text();
  $('message').textContent = '';
  let body;
  try {
    body = await api(`/api/admin/${kind}/import`, { body: { file: file.name, csv } });
  } catch (e) {
    const faults = (e.body && e.body.faults) || [];
    $('message').textContent = faults.length ? `Nothing imported: ${faults.length} error(s).` : e.message;
    $('faults').replaceChildren(...faults.map((f) =>
      el('li', { text: `${f.file}:${f.line}${f.column ? ': ' + f.column : ''}: ${f.message}` })));
    return;
  }
  $('status').textContent = `Imported ${body.imported} ${kind}.`;
  await show();
});

show().catch((e) => { $('message').textContent = e.message; });
