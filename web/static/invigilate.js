// The invigilator's room: the sitting's rows, pushed live by the server
// (Server-Sent Events) and updated in place; check-in and admission; pause,
// resume and time changes for one candidate, the selected ones or the
// room; ending a test; announcements and the incident log. It holds no
// answers.

import { api } from './api.js';
import { $, el } from './dom.js';

let sitting = '';
let feed = null;
let room = null; // the sitting as last sent
const rows = new Map(); // candidate id -> {tr, row, at}

const mmss = (ms) => { const s = Math.max(0, Math.ceil(ms / 1000)); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
const label = { not_joined: 'not joined', waiting: 'waiting', in_progress: 'in progress', submitted: 'submitted' };
const base = () => `/api/sittings/${encodeURIComponent(sitting)}`;
const say = (text) => { $('message').textContent = text; };

// live is whether the room's feed is connected: then the feed alone draws
// the room, since an action's answer may arrive after newer rows and would
// show the room as it was.
let live = false;

async function act(fn) {
  try { say(''); const r = await fn(); if (r && r.candidates && !live) drawRoom(r); return r; } catch (e) { say(e.message); return null; }
}

function button(text, fn) {
  const b = el('button', { type: 'button', text });
  b.addEventListener('click', () => act(fn));
  return b;
}

function timeLeft(r, at) {
  if (r.status !== 'in_progress') return '—';
  const ms = r.paused ? r.remaining_ms : r.remaining_ms - (performance.now() - at);
  return mmss(ms) + (r.paused ? ' (paused)' : '');
}

function cells(r, at) {
  let status = label[r.status] || r.status;
  if (r.reason) status += ` (${r.reason}${r.detail ? ': ' + r.detail : ''})`;
  if (r.paused) status += ' · paused' + (r.pause_reason ? `: ${r.pause_reason}` : '');
  if (r.needs_admit) status += ' · late: needs admitting';
  if (r.away_since && !r.connected) {
    status += ` · left at ${new Date(r.away_since).toLocaleTimeString()}`;
    if (r.rejoin_approved) status += ': rejoin approved';
    else if (r.needs_rejoin) status += ': rejoin needs approval';
  }
  const q = r.status !== 'in_progress' ? '—' : (r.position >= r.items ? 'review' : `${r.position + 1} of ${r.items}`);
  const added = [r.planned_ms ? `planned ${mmss(r.planned_ms)}` : '', r.extra_ms ? `incident ${r.extra_ms < 0 ? '-' : '+'}${mmss(Math.abs(r.extra_ms))}` : ''].filter(Boolean).join(', ') || '—';
  const last = r.last_activity ? new Date(r.last_activity).toLocaleTimeString() : '—';
  return [status, r.items ? `${r.answered} of ${r.items}` : '—', timeLeft(r, at),
    (r.connected ? 'yes' : 'no') + (r.drops ? ` (${r.drops} drops)` : ''), r.candidate, r.checked_in ? 'yes' : 'no',
    q, String(r.flagged || 0), added, last];
}

// actions are the row's buttons; rebuilt only when the kind of row changes,
// so a focused button stays focused.
function actionsKey(r) { return [r.status, r.paused, r.checked_in, r.needs_admit, mayApprove(r)].join('|'); }

// mayApprove: the candidate left during the test and their rejoin is not
// yet approved.
function mayApprove(r) { return Boolean(r.away_since) && !r.rejoin_approved && !r.connected && r.status === 'in_progress'; }

function actions(r) {
  const url = `${base()}/candidates/${encodeURIComponent(r.candidate)}`;
  const reason = () => $('room-reason').value.trim();
  const out = [];
  if (r.status === 'in_progress') {
    out.push(
      button('+5 min', () => api(url + '/extra-time', { body: { minutes: 5, reason: reason() } })),
      r.paused ? button('Resume', () => api(url + '/resume', { body: { reason: reason() } }))
        : button('Pause', () => api(url + '/pause', { body: { reason: reason() } })),
      button('End test', () => openVoid(r)),
    );
  }
  if (!r.checked_in) out.push(button('Check in', () => api(url + '/checkin', { body: {} })));
  if (r.needs_admit) out.push(button('Admit', () => api(url + '/admit', { body: {} })));
  if (mayApprove(r)) out.push(button('Approve rejoin', () => api(url + '/approve-rejoin', { body: { reason: reason() } })));
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
  const key = actionsKey(r);
  if (key !== entry.key) {
    entry.key = key;
    tds[tds.length - 1].replaceChildren(...actions(r));
  }
  return entry.tr;
}

function drawRoom(s) {
  room = s;
  $('state').textContent = s.released ? 'Released' : 'Not released: candidates who join will wait';
  $('release').disabled = s.released;
  const body = $('candidates').tBodies[0];
  const trs = s.candidates.map(drawRow);
  trs.forEach((tr, i) => { if (body.children[i] !== tr) body.insertBefore(tr, body.children[i] || null); });
  $('announcements').replaceChildren(...(s.announcements || []).map((a) => el('li', { text: `${new Date(a.at).toLocaleTimeString()} ${a.text}` })));
  const reasons = $('void-reason');
  if (reasons.options.length !== s.void_reasons.length) reasons.replaceChildren(...s.void_reasons.map((v) => new Option(v, v)));
}

function selected() { return [...document.querySelectorAll('input.pick:checked')].map((c) => c.dataset.cand); }

function scope() {
  const n = selected().length;
  $('room-scope').textContent = n ? `${n} selected` : 'the whole room';
}

function roomAct(what, extra = {}) {
  return act(async () => {
    const r = await api(`${base()}/room/${what}`, { body: { candidates: selected(), reason: $('room-reason').value.trim(), ...extra } });
    const refused = Object.entries(r.refused);
    say(refused.length ? 'Not done for ' + refused.map(([c, why]) => `${c}: ${why}`).join('; ') : `Done for ${r.done.length}`);
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
    ...[new Date(i.at).toLocaleTimeString(), i.category, i.reporter, i.candidates.join(' ') || 'all', i.text].map((t) => el('td', { text: t })))));
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
  const me = await api('/api/me');
  $('who').textContent = `${me.name} (${me.role})`;
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
