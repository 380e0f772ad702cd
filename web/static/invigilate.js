// The invigilator's room: the sitting's rows, pushed live by the server
// (Server-Sent Events) and updated in place; check-in and admission; pause,
// resume and time changes for one candidate, the selected ones or the
// room; ending a test; announcements and the incident log. It holds no
// answers.

import { api } from './api.js';
import { $, el } from './dom.js';
import { clockSeconds, zoneName } from './times.js';

let sitting = '';
let feed = null;
let room = null; // the sitting as last sent
const rows = new Map(); // candidate id -> {tr, row, at}

const mmss = (ms) => { const s = Math.max(0, Math.ceil(ms / 1000)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
const label = { not_joined: 'not joined', waiting: 'waiting', in_progress: 'in progress', paused: 'paused', submitted: 'submitted' };
const sitting_ = (r) => r.status === 'in_progress' || r.status === 'paused'; // the candidate is sitting the test
const base = () => `/api/sittings/${encodeURIComponent(sitting)}`;
// say shows the answer of an act with the time it came, so that a second
// press of the same button is answered as visibly as the first.
const say = (text, bad = false) => {
  const m = $('message');
  m.className = bad ? 'psy-error' : 'psy-status';
  m.textContent = text ? `${clockSeconds(new Date())}: ${text}` : '';
};

// live is whether the room's feed is connected: then the feed alone draws
// the room, since an action's answer may arrive after newer rows and would
// show the room as it was.
let live = false;

async function act(fn) {
  try { say(''); const r = await fn(); if (r && r.candidates && !live) drawRoom(r); return r; } catch (e) { say(e.message, true); return null; }
}

function button(text, fn) {
  const b = el('button', { type: 'button', text });
  b.addEventListener('click', () => act(fn));
  return b;
}

function timeLeft(r, at) {
  if (!sitting_(r)) return '—';
  const ms = r.paused ? r.remaining_ms : r.remaining_ms - (performance.now() - at);
  return mmss(ms) + (r.paused ? ' (paused)' : '');
}

function cells(r, at) {
  let status = label[r.status] || r.status;
  if (r.reason) status += ` (${r.reason}${r.detail ? ': ' + r.detail : ''})`;
  if (r.status === 'paused' && r.pause_reason) status += `: ${r.pause_reason}`;
  if (r.needs_admit) status += ' · late: needs admitting';
  if (r.away_since && !r.connected) {
    status += ` · left at ${clockSeconds(r.away_since)}`;
    if (r.rejoin_approved) status += ': rejoin approved';
    else if (r.needs_rejoin) status += ': rejoin needs approval';
  }
  const q = !sitting_(r) ? '—' : (r.position >= r.items ? 'review' : `${r.position + 1} of ${r.items}`);
  const added = [r.planned_ms ? `planned +${mmss(r.planned_ms)} (time ×${r.accommodation})` : '', r.extra_ms ? `incident ${r.extra_ms < 0 ? '-' : '+'}${mmss(Math.abs(r.extra_ms))}` : ''].filter(Boolean).join(', ') || '—';
  const last = r.last_activity ? clockSeconds(r.last_activity) : '—';
  return [status, r.items ? `${r.answered} of ${r.items}` : '—', timeLeft(r, at),
    connection(r), r.candidate, r.checked_in ? 'yes' : 'no',
    q, String(r.flagged || 0), added, last];
}

// connection says whether the candidate's screen is connected; a screen
// lost while the candidate waits or sits is marked in words as well as
// by the row's colour.
function connection(r) {
  const drops = r.drops ? ` (${r.drops} ${r.drops === 1 ? 'drop' : 'drops'})` : '';
  if (r.connected) return 'yes' + drops;
  if (r.status === 'waiting' || sitting_(r)) return '⚠ DISCONNECTED' + drops;
  return 'no' + drops;
}

// actions are the row's buttons; rebuilt only when the kind of row changes,
// so a focused button stays focused.
function actionsKey(r) { return [r.status, r.checked_in, r.needs_admit, mayApprove(r)].join('|'); }

// mayApprove: the candidate left during the test and their rejoin is not
// yet approved.
function mayApprove(r) { return Boolean(r.away_since) && !r.rejoin_approved && !r.connected && sitting_(r); }

function actions(r) {
  const url = `${base()}/candidates/${encodeURIComponent(r.candidate)}`;
  const reason = () => $('room-reason').value.trim();
  const out = [];
  const done = (what) => (s) => { say(`${what} ${r.name}.`); return s; };
  if (sitting_(r)) {
    out.push(
      button('+5 min', () => api(url + '/extra-time', { body: { minutes: 5, reason: reason() } }).then(done('Added 5 minutes for'))),
      r.status === 'paused' ? button('Resume', () => api(url + '/resume', { body: { reason: reason() } }).then(done('Resumed')))
        : button('Pause', () => api(url + '/pause', { body: { reason: reason() } }).then(done('Paused'))),
      button('End test', () => openVoid(r)),
    );
  }
  if (!r.checked_in) out.push(button('Check in', () => api(url + '/checkin', { body: {} }).then(done('Checked in'))));
  if (r.needs_admit) out.push(button('Admit', () => api(url + '/admit', { body: {} }).then(done('Admitted'))));
  if (mayApprove(r)) out.push(button('Approve rejoin', () => api(url + '/approve-rejoin', { body: { reason: reason() } }).then(done('Approved the rejoin of'))));
  for (const b of out) b.setAttribute('aria-label', `${b.textContent}: ${r.name}`);
  return out;
}

function drawRow(r) {
  let entry = rows.get(r.candidate);
  const at = performance.now();
  if (!entry) {
    const select = el('input', { type: 'checkbox', 'aria-label': `Select ${r.name}`, class: 'pick' });
    select.dataset.cand = r.candidate;
    select.addEventListener('change', scope);
    const tr = el('tr', {}, el('th', { scope: 'row', text: r.name }), ...cells(r, at).map(() => el('td')), el('td', {}, select), el('td'));
    tr.dataset.cand = r.candidate;
    entry = { tr, key: '' };
    rows.set(r.candidate, entry);
  }
  entry.row = r;
  entry.at = at;
  const tds = entry.tr.cells;
  cells(r, at).forEach((text, i) => { if (tds[i + 1].textContent !== text) tds[i + 1].textContent = text; });
  entry.tr.classList.toggle('gone', !r.connected && (r.status === 'waiting' || sitting_(r)));
  const key = actionsKey(r);
  if (key !== entry.key) {
    entry.key = key;
    const had = tds[tds.length - 1].contains(document.activeElement);
    tds[tds.length - 1].replaceChildren(...actions(r));
    // The button pressed is replaced (Pause by Resume): the focus stays in the row.
    if (had) (tds[tds.length - 1].querySelector('button') || entry.tr.querySelector('input.pick')).focus();
  }
  roomButtons();
  return entry.tr;
}

function drawRoom(s) {
  room = s;
  $('state').textContent = s.released ? 'Released' : 'Not released: candidates who join will wait';
  $('release').disabled = s.released;
  const body = $('candidates').tBodies[0];
  const trs = s.candidates.map(drawRow);
  trs.forEach((tr, i) => { if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null); });
  $('announcements').replaceChildren(...(s.announcements || []).map((a) => el('li', { text: `${clockSeconds(a.at)} ${a.text}` })));
  const reasons = $('void-reason');
  if (reasons.options.length !== s.void_reasons.length) reasons.replaceChildren(...s.void_reasons.map((v) => new Option(v, v)));
}

// roomButtons offers the room's Pause and Resume only where they apply:
// Pause while a candidate in scope sits unpaused, Resume while one is
// paused. A button that goes while it has the focus hands it to the other.
function roomButtons() {
  const picked = new Set(selected());
  const scoped = [...rows.values()].map((e) => e.row).filter((r) => r && (!picked.size || picked.has(r.candidate)));
  const show = { 'room-pause': scoped.some((r) => r.status === 'in_progress'), 'room-resume': scoped.some((r) => r.status === 'paused') };
  const had = document.activeElement;
  for (const [id, on] of Object.entries(show)) $(id).hidden = !on;
  if (had && had.hidden && had.id in show) [$('room-pause'), $('room-resume'), $('room-extra')].find((x) => !x.hidden).focus();
}

function selected() { return [...document.querySelectorAll('input.pick:checked')].map((c) => c.dataset.cand); }

function scope() {
  const n = selected().length;
  $('room-scope').textContent = n ? `${n} selected` : 'the whole room';
  roomButtons();
}

// roomAct acts on the selected candidates, or the whole room. Its answer
// names up to five candidates, and counts more; over the whole room, a
// candidate already as asked (paused, or not paused) is said, not an error.
function roomAct(what, extra = {}) {
  return act(async () => {
    const picked = selected();
    const r = await api(`${base()}/room/${what}`, { body: { candidates: picked, reason: $('room-reason').value.trim(), ...extra } });
    const name = (c) => (rows.get(c) && rows.get(c).row.name) || c;
    const names = (cs) => (cs.length > 5 ? `${cs.length} candidates` : cs.map(name).join(', '));
    const verb = { pause: 'Paused', resume: 'Resumed', 'extra-time': 'Changed the time of' }[what];
    const asIs = ([, why]) => !picked.length && (why === 'already paused' || why === 'not paused');
    const refused = Object.entries(r.refused);
    const skipped = refused.filter(asIs);
    const failed = refused.filter((x) => !asIs(x));
    const parts = [];
    if (r.done.length) parts.push(`${verb} ${names(r.done)}.`);
    if (skipped.length) parts.push(`${names(skipped.map(([c]) => c))} ${skipped.length === 1 ? 'was' : 'were'} ${skipped[0][1]}.`);
    if (failed.length) parts.push('Not done for ' + failed.map(([c, why]) => `${name(c)}: ${why}`).join('; ') + '.');
    say(parts.join(' ') || 'No candidate is sitting the test.', failed.length > 0);
    return r;
  });
}

let voiding = null;
function openVoid(r) {
  voiding = r;
  $('void-who').textContent = `${r.name} (${r.candidate})`;
  $('void-confirm').value = '';
  $('void-text').value = '';
  $('void-error').textContent = '';
  $('void-dialog').showModal();
  return Promise.resolve(null);
}

async function submitVoid(ev) {
  if (ev.submitter && ev.submitter.value === 'cancel') return;
  ev.preventDefault();
  const r = voiding;
  try {
    const s = await api(`${base()}/candidates/${encodeURIComponent(r.candidate)}/void`, { body: {
      reason: $('void-reason').value, text: $('void-text').value, confirm: $('void-confirm').value, withdraw: $('void-withdraw').checked,
    } });
    $('void-dialog').close();
    if (!live) drawRoom(s); // the feed draws the room while it is connected
  } catch (e) { $('void-error').textContent = e.message; }
}

async function loadIncidents() {
  const r = await api(`${base()}/incidents`);
  const cat = $('incident-category');
  if (!cat.options.length) cat.replaceChildren(...r.categories.map((c) => new Option(c, c)));
  $('incidents').tBodies[0].replaceChildren(...r.incidents.map((i) => el('tr', {},
    ...[clockSeconds(i.at), i.category, i.reporter, i.candidates.join(' ') || 'all', i.text].map((t) => el('td', { text: t })))));
  $('incident-csv').href = `${base()}/incidents.csv`;
}

function watch() {
  if (feed) feed.close();
  rows.clear();
  $('candidates').tBodies[0].replaceChildren();
  feed = new EventSource(`${base()}/live`);
  live = false;
  feed.addEventListener('room', (e) => { live = true; $('feed').textContent = 'live'; drawRoom(JSON.parse(e.data)); });
  feed.addEventListener('rows', (e) => { for (const r of JSON.parse(e.data)) drawRow(r); });
  feed.addEventListener('error', () => { live = false; $('feed').textContent = 'reconnecting…'; });
  loadIncidents().catch((e) => say(e.message));
}

// tick counts each row's clock down between the server's updates.
function tick() {
  for (const { tr, row, at } of rows.values()) {
    const td = tr.cells[3];
    const text = timeLeft(row, at);
    if (td.textContent !== text) td.textContent = text;
  }
}

async function start() {
  $('zone').textContent = `Times in ${zoneName()}`;
  const list = await api('/api/sittings');
  $('sitting').replaceChildren(...list.map((s) => new Option(`${s.id} · ${s.centre}`, s.id)));
  sitting = $('sitting').value;
  $('sitting').addEventListener('change', () => { sitting = $('sitting').value; watch(); });
  $('release').addEventListener('click', () => act(() => api(`${base()}/release`, { body: {} })));
  $('room-pause').addEventListener('click', () => roomAct('pause'));
  $('room-resume').addEventListener('click', () => roomAct('resume'));
  $('room-extra').addEventListener('click', () => roomAct('extra-time', { minutes: Number($('room-minutes').value) }));
  $('announce').addEventListener('click', () => act(async () => {
    const s = await api(`${base()}/announce`, { body: { text: $('announce-text').value } });
    $('announce-text').value = '';
    return s;
  }));
  $('incident-log').addEventListener('click', () => act(async () => {
    await api(`${base()}/incidents`, { body: { category: $('incident-category').value, text: $('incident-text').value, candidates: selected() } });
    $('incident-text').value = '';
    await loadIncidents();
  }));
  $('void-form').addEventListener('submit', submitVoid);
  if (sitting) watch();
  setInterval(tick, 1000);
}

start().catch((e) => say(e.message));
