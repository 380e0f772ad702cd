// The assessor's marking page: sign in with the staff code (or come signed
// in), see the candidate now at the station and the slot's time, mark each
// criterion against its behavioural anchors, give the global judgement,
// write evidence notes (one per criterion and a general one) and submit.
// Flagged stations the assessor is asked to resolve (third marking, or the
// lead's decision) appear as stations of their own. Every change is kept in the outbox until the
// server acknowledges it (docs/marking-protocol.md), so marks made offline
// are sent, exactly once, when the connection is back.

import { Connection, CLOSE_TAKEN_OVER } from './connection.js';
import { Outbox } from './outbox.js';
import { api } from './api.js';
import { $, el } from './dom.js';
import { clockSeconds, zoneName } from './times.js';

const CODE_KEY = 'accredit:marking:code';
const NOTE_DELAY = 700; // ms of quiet typing before a note is sent
const PING_EVERY = 15000; // ms; a connection silent for SILENT is taken for dead
const SILENT = 2 * PING_EVERY + 5000;

const st = {
  code: '', // the sign-in code typed; '' when the staff session signs in
  conn: null,
  outbox: null,
  joined: false,
  me: null,
  circuits: [],
  offset: 0, // server clock minus this device's clock, ms
  circuit: null,
  station: null,
  candidate: null,
  saved: {}, // sheet id -> stored content {marks, judgement, notes, submitted, submitted_at}
  heard: 0, // Date.now() of the last server message
  noteTimers: {}, // criterion id ('' for the general note) -> timer of a note being typed
  built: '', // sheet id whose form is on screen
  retrying: '', // sheet id#seq of a change the store failed, being sent again
};

// The assessor's outbox is kept under their id (never the sign-in code),
// and numbers changes per sheet.
const OUTBOX_PREFIX = 'accredit:marking:';

function sheetId(m) {
  return `${m.circuit}/${m.station}/${m.candidate}`;
}

// target names what a change sets on its sheet, so that an older change
// never overwrites a newer one of the same target.
function target(m) {
  switch (m.type) {
    case 'mark':
    case 'clear_mark': return 'mark:' + m.criterion;
    case 'note': return 'note:' + (m.criterion || '');
    default: return m.type;
  }
}

// Errors after which a change is kept and sent again with its own seq:
// dropped for rate (103), or the store failed and it may have been stored
// (501, acknowledged as a duplicate if so).
const RESEND_AFTER = { 103: 250, 501: 1000 };
const CODE_BAD_SEQ = 306;

const MARKER_TEXT = { third_marker: 'third marking', lead: 'your decision' };

const now = () => Date.now() + st.offset;

function wsURL() {
  return (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/ws/assessor';
}

function show(screen) {
  for (const id of ['screen-signin', 'screen-station', 'screen-ended']) $(id).hidden = id !== screen;
  // Sign out is offered only to someone signed in.
  $('signout').hidden = screen !== 'screen-station';
}

// signIn connects and signs in with code, or with the staff session when
// code is empty.
function signIn(code) {
  code = code.trim().toUpperCase();
  if (st.conn) st.conn.stop();
  st.code = code;
  st.conn = new Connection(wsURL(), {
    open: () => st.conn.send(code ? { type: 'hello', v: 1, code } : { type: 'hello', v: 1 }),
    message: onMessage,
    lost: () => {
      st.joined = false;
      renderStatus();
    },
    ended: (closeCode) => {
      st.joined = false;
      if (closeCode === CLOSE_TAKEN_OVER) show('screen-ended');
      renderStatus();
    },
  });
  $('conn').dataset.state = 'connecting';
  $('conn').textContent = 'Connecting…';
  st.conn.start();
}

function onMessage(msg) {
  st.heard = Date.now();
  switch (msg.type) {
    case 'welcome':
      return welcome(msg);
    case 'ack':
      return acked(msg);
    case 'error':
      return refused(msg);
    case 'sheet':
      for (const s of msg.sheets || []) st.saved[sheetId(s.key)] = stored(s);
      return renderSheet();
    case 'circuits':
      return newCircuits(msg.circuits || []);
    case 'pong':
      st.offset = Date.parse(msg.now) - Date.now();
      return undefined;
    default:
      return undefined;
  }
}

function stored(s) {
  return {
    marks: { ...(s.marks || {}) },
    judgement: s.judgement ?? null,
    notes: { ...(s.notes || {}) },
    submitted: !!s.submitted,
    submitted_at: s.submitted_at || '',
  };
}

function welcome(msg) {
  st.joined = true;
  st.conn.joined();
  if (st.code) sessionStorage.setItem(CODE_KEY, st.code);
  st.me = msg.assessor;
  document.dispatchEvent(new CustomEvent('accredit:who', { detail: { name: st.me.name, role: 'assessor' } }));
  if (!st.outbox || st.outbox.key !== OUTBOX_PREFIX + st.me.id) st.outbox = new Outbox(OUTBOX_PREFIX + st.me.id, { stream: sheetId, target });
  st.circuits = msg.circuits || [];
  st.offset = Date.parse(msg.now) - Date.now();
  for (const s of msg.sheets || []) {
    const id = sheetId(s.key);
    st.saved[id] = stored(s);
    st.outbox.seen(s.last_seq, id);
  }
  if (!keepPlace()) pickCircuit();
  show('screen-station');
  renderAll();
  // Every waiting change, in order, with the seq it already has: one stored
  // before is acknowledged as a duplicate, one that was not is stored now.
  for (const m of st.outbox.msgs) st.conn.send(m);
}

function acked(msg) {
  if (!msg.sheet) return;
  const id = sheetId(msg.sheet);
  const got = st.outbox.ack(msg.seq, id);
  // A change stored after a later one of the same target does not show.
  if (got && got.latest) {
    st.saved[id] = st.saved[id] || stored({});
    apply(st.saved[id], got.msg);
  }
  if (got && st.retrying === `${id}#${msg.seq}`) {
    st.retrying = '';
    $('sheet-error').textContent = '';
  }
  renderSheet();
}

// newCircuits takes the stations the server now gives the assessor (a
// station to resolve was assigned or flagged) and says what is new.
function newCircuits(circuits) {
  const before = new Set(stationKeys(st.circuits));
  st.circuits = circuits;
  const added = [];
  for (const c of circuits) {
    for (const s of c.stations) {
      if (!before.has(`${c.id}/${s.id}/${s.marker}`)) added.push(`station ${s.id} (${MARKER_TEXT[s.marker] || 'marking'}) in ${c.title}`);
    }
  }
  if (!keepPlace()) pickCircuit();
  $('news').hidden = added.length === 0;
  $('news').textContent = added.length ? `New to mark: ${added.join('; ')}.` : '';
  renderAll();
}

function stationKeys(circuits) {
  return circuits.flatMap((c) => c.stations.map((s) => `${c.id}/${s.id}/${s.marker}`));
}

// keepPlace keeps the circuit, station and candidate on screen when the
// new list still has them, with their new descriptions.
function keepPlace() {
  if (!st.circuit || !st.station) return false;
  const c = st.circuits.find((x) => x.id === st.circuit.id);
  const s = c && c.stations.find((x) => x.id === st.station.id && x.marker === st.station.marker);
  if (!s) return false;
  st.circuit = c;
  st.station = s;
  if (!s.schedule.some((x) => x.candidate === st.candidate)) pickCandidate();
  return true;
}

function refused(msg) {
  if (msg.code === 201 || msg.code === 104) {
    st.conn.stop();
    sessionStorage.removeItem(CODE_KEY);
    show('screen-signin');
    // Without a code the page only tried the staff session: no error to show.
    $('signin-error').textContent = st.code || msg.code === 104 ? msg.message : '';
    $('conn').dataset.state = 'signed-out';
    $('conn').textContent = 'Not signed in';
    return;
  }
  const id = msg.sheet && msg.seq ? sheetId(msg.sheet) : '';
  const m = id ? st.outbox.find(msg.seq, id) : null;
  if (m && RESEND_AFTER[msg.code]) {
    // Kept, and sent again with the same seq after a pause.
    if (msg.code === 501) {
      st.retrying = `${id}#${msg.seq}`;
      $('sheet-error').textContent = 'The server could not save a change; it is being sent again.';
    }
    setTimeout(() => {
      if (st.joined && st.outbox.find(msg.seq, id) === m) st.conn.send(m);
    }, RESEND_AFTER[msg.code]);
    return;
  }
  if (m && msg.code === CODE_BAD_SEQ) {
    // Sent again with its old seq and never stored (later changes were):
    // dropped if a later change of the same target supersedes it,
    // otherwise numbered again and sent.
    if (st.outbox.stale(msg.seq, id) === 'renumbered' && st.joined) st.conn.send(m);
    renderSheet();
    return;
  }
  if (m) st.outbox.remove(msg.seq, id);
  $('sheet-error').textContent = `Not saved: ${msg.message}`;
  renderSheet();
}

// apply changes sheet content s by change m, as the server does.
function apply(s, m) {
  switch (m.type) {
    case 'mark':
      s.marks[m.criterion] = m.value;
      break;
    case 'clear_mark':
      delete s.marks[m.criterion];
      break;
    case 'judgement':
      s.judgement = m.value;
      break;
    case 'note':
      if (m.text) s.notes[m.criterion || ''] = m.text;
      else delete s.notes[m.criterion || ''];
      break;
    case 'submit':
      s.submitted = true;
      break;
    default:
  }
}

// shown is the stored content with the waiting changes applied.
function shown(id) {
  const base = st.saved[id] || stored({});
  const s = stored(base);
  s.submitted_at = base.submitted_at;
  for (const m of st.outbox.pending(id)) apply(s, m);
  return s;
}

function pickCircuit() {
  const t = now();
  const running = st.circuits.find((c) => t >= Date.parse(c.start) && t < Date.parse(c.start) + c.slots * c.slot_length_ms);
  const next = st.circuits.find((c) => t < Date.parse(c.start));
  setCircuit(running || next || st.circuits[st.circuits.length - 1]);
}

function setCircuit(c) {
  st.circuit = c || null;
  setStation(c ? c.stations[0] : null);
}

function setStation(s) {
  st.station = s;
  pickCandidate();
}

// pickCandidate selects the candidate now at a station one marks, or the
// first to resolve.
function pickCandidate() {
  st.candidate = null;
  st.built = '';
  const s = st.station;
  if (!s || s.schedule.length === 0) return;
  if (s.marker !== 'primary') {
    st.candidate = s.schedule[0].candidate;
    return;
  }
  const slot = currentSlot();
  const pick = s.schedule.find((x) => x.slot === slot) || s.schedule[slot < 1 ? 0 : s.schedule.length - 1];
  st.candidate = pick.candidate;
}

function stationLabel(s) {
  const what = MARKER_TEXT[s.marker];
  return `Station ${s.id}: ${s.scenario.title}${what ? ` (${what})` : ''}`;
}

function currentSlot() {
  const c = st.circuit;
  const t = now() - Date.parse(c.start);
  if (t < 0) return 0;
  return Math.min(Math.floor(t / c.slot_length_ms) + 1, c.slots + 1);
}

function currentId() {
  return st.candidate ? sheetId({ circuit: st.circuit.id, station: st.station.id, candidate: st.candidate }) : '';
}

function change(msg) {
  if (!st.candidate) return;
  const m = st.outbox.add({ ...msg, circuit: st.circuit.id, station: st.station.id, candidate: st.candidate });
  $('sheet-error').textContent = '';
  if (st.joined) st.conn.send(m);
  renderSheet();
}

function renderAll() {
  $('who').textContent = st.me ? `${st.me.name} · ${st.me.id}` : 'Accredit marking';
  const sel = $('circuit');
  sel.hidden = st.circuits.length < 2;
  sel.replaceChildren(...st.circuits.map((c) => new Option(c.title, c.id, false, st.circuit && c.id === st.circuit.id)));
  if (!st.circuit) {
    $('circuit-title').textContent = 'You mark no station in any circuit.';
    return;
  }
  // The circuit and the station are shown once: by their menu where
  // there is a choice, otherwise as text. The heading stays for screen
  // readers' navigation.
  $('circuit-title').textContent = st.circuit.title;
  $('circuit-title').classList.toggle('visually-hidden', !sel.hidden);
  const ss = $('station');
  ss.hidden = st.circuit.stations.length < 2;
  ss.replaceChildren(...st.circuit.stations.map((s, i) => new Option(stationLabel(s), String(i), false, s === st.station)));
  $('station-title').textContent = stationLabel(st.station);
  $('station-title').hidden = !ss.hidden;
  $('candidate-brief').textContent = st.station.scenario.candidate_brief;
  $('actor-brief').textContent = st.station.scenario.actor_brief;
  renderSheet();
  tick();
}

function renderSlots() {
  const t = now();
  $('slot-list').replaceChildren(
    ...st.station.schedule.map((s) => {
      const sh = shown(sheetId({ circuit: st.circuit.id, station: st.station.id, candidate: s.candidate }));
      const state = sh.submitted ? 'submitted' : Object.keys(sh.marks).length || sh.judgement !== null ? 'in progress' : 'not started';
      const b = el('button', {
        type: 'button', 'data-candidate': s.candidate, 'aria-current': String(s.candidate === st.candidate),
        disabled: st.station.marker === 'primary' && Date.parse(s.start) > t,
      }, `Slot ${s.slot} · ${s.name}`, el('small', { text: state }));
      b.addEventListener('click', () => {
        flushNotes();
        st.candidate = s.candidate;
        renderSheet();
      });
      return b;
    }),
  );
}

function pointButton(value, label, anchor, onPick) {
  const b = el('button', { type: 'button', class: 'point', 'data-value': String(value) },
    el('b', { text: `${value} · ${label}` }), anchor ? el('span', { text: anchor }) : null);
  b.addEventListener('click', () => onPick(value));
  return b;
}

// noteBox is a criterion's evidence note, folded away until wanted.
function noteBox(c) {
  const ta = el('textarea', {
    rows: 3, maxLength: 4000, 'data-note': c.id, 'aria-label': `Evidence note: ${c.title}`,
    placeholder: 'What you saw and heard for this criterion',
  });
  watchNote(ta);
  return el('details', { class: 'crit-note' }, el('summary', {}, 'Evidence note', el('span', { class: 'state note-state' })), ta);
}

// buildSheet draws the rubric's form for the selected sheet once.
function buildSheet() {
  const box = $('sheet');
  box.replaceChildren();
  for (const d of st.station.rubric.domains) {
    const sec = el('section', { class: 'domain' }, el('h3', { text: st.circuit.domains[d.domain] || d.domain }));
    for (const c of d.criteria) {
      const lg = el('legend', { text: c.title });
      if (c.weight && c.weight !== 1) lg.append(` (×${c.weight})`);
      if (c.must_pass) lg.append(el('span', { class: 'tag', text: `must reach ${c.must_pass.threshold}` }));
      lg.append(el('span', { class: 'state' }));
      const pts = el('div', { class: 'points' });
      for (const p of c.points) pts.append(pointButton(p.value, p.label, p.anchor, (v) => pick(c.id, v)));
      sec.append(el('fieldset', { class: 'criterion', 'data-criterion': c.id }, lg, pts, noteBox(c)));
    }
    box.append(sec);
  }
  $('judgement').querySelector('.points').replaceChildren(
    ...st.circuit.judgement.map((p) => pointButton(p.value, p.label, '', (v) => change({ type: 'judgement', value: v }))),
  );
  const notes = shown(currentId()).notes;
  for (const ta of document.querySelectorAll('textarea[data-note]')) {
    ta.value = notes[ta.dataset.note] || '';
    const d = ta.closest('details');
    if (d) d.open = !!ta.value;
  }
  st.built = currentId();
}

function pick(criterion, value) {
  const s = shown(currentId());
  if (s.marks[criterion] === value) change({ type: 'clear_mark', criterion });
  else change({ type: 'mark', criterion, value });
}

function stateOf(node, pendingTypes, has, savedText, emptyText) {
  if (pendingTypes) {
    node.dataset.state = 'waiting';
    node.textContent = 'Waiting to be sent';
  } else if (has) {
    node.dataset.state = 'saved';
    node.textContent = savedText;
  } else {
    node.dataset.state = 'unmarked';
    node.textContent = emptyText;
  }
}

function renderSheet() {
  renderStatus();
  if (!st.circuit || !st.candidate) return;
  const id = currentId();
  if (st.built !== id) buildSheet();
  renderSlots();
  const s = shown(id);
  const pend = st.outbox.pending(id);
  const slot = st.station.schedule.find((x) => x.candidate === st.candidate);
  const what = MARKER_TEXT[st.station.marker];
  $('sheet-title').textContent = `${what ? `Flagged station, ${what}: ` : 'Marking '}${slot.name} (${slot.candidate}), slot ${slot.slot}`;
  for (const fs of $('sheet').querySelectorAll('fieldset.criterion')) {
    const c = fs.dataset.criterion;
    for (const b of fs.querySelectorAll('button.point')) b.setAttribute('aria-pressed', String(s.marks[c] === Number(b.dataset.value)));
    const waiting = pend.some((m) => (m.type === 'mark' || m.type === 'clear_mark') && m.criterion === c);
    stateOf(fs.querySelector('.state'), waiting, c in s.marks, 'Saved', 'Not marked');
  }
  for (const b of $('judgement').querySelectorAll('button.point')) b.setAttribute('aria-pressed', String(s.judgement === Number(b.dataset.value)));
  stateOf($('judgement').querySelector('.state'), pend.some((m) => m.type === 'judgement'), s.judgement !== null, 'Saved', 'Not given');
  const locked = s.submitted;
  for (const ta of document.querySelectorAll('textarea[data-note]')) {
    const k = ta.dataset.note;
    if (document.activeElement !== ta && !st.noteTimers[k]) ta.value = s.notes[k] || '';
    ta.readOnly = locked;
    const node = k === '' ? $('note-state') : ta.closest('details').querySelector('.note-state');
    stateOf(node, !!st.noteTimers[k] || pend.some((m) => m.type === 'note' && (m.criterion || '') === k), !!s.notes[k], 'Saved', 'Empty');
  }
  document.body.classList.toggle('locked', locked);
  for (const b of document.querySelectorAll('#sheet button.point, #judgement button.point')) b.disabled = locked;
  $('submit').hidden = locked;
  if (locked) $('confirm').hidden = true;
  $('locked').hidden = !locked;
  if (locked) {
    const saved = st.saved[id] && st.saved[id].submitted;
    $('locked').textContent = saved
      ? `Submitted${s.submitted_at ? ` at ${clockSeconds(s.submitted_at)} (${zoneName()})` : ''}. This sheet is locked: only the lead assessor can change it, with a reason.`
      : 'Submitted on this tablet: waiting to be sent. The sheet is locked.';
  }
}

function renderStatus() {
  const conn = $('conn');
  if (st.joined) {
    conn.dataset.state = 'online';
    conn.textContent = 'Online';
  } else if (st.conn && !st.conn.stopped) {
    conn.dataset.state = 'offline';
    conn.textContent = 'Offline: marks are kept on this tablet';
  }
  const n = st.outbox ? st.outbox.msgs.length + Object.keys(st.noteTimers).length : 0;
  const sync = $('sync');
  sync.dataset.waiting = String(n);
  sync.textContent = !st.outbox ? '' : n === 0 ? 'All changes saved' : `${n} change${n === 1 ? '' : 's'} waiting to be sent`;
  if (st.outbox && st.outbox.storageFailed) sync.textContent += ' (this browser cannot keep them if closed)';
}

function tick() {
  if (!st.circuit || !st.station) return;
  const t = now();
  if (st.station.marker !== 'primary') {
    $('now-candidate').textContent = `${st.station.schedule.length} flagged to resolve`;
    $('timer').textContent = '';
    return;
  }
  const slot = currentSlot();
  const at = st.station.schedule.find((s) => s.slot === slot);
  const timer = $('timer');
  if (slot < 1) {
    $('now-candidate').textContent = 'nobody yet';
    timer.textContent = `Starts in ${fmt(Date.parse(st.circuit.start) - t)}`;
    timer.classList.remove('short');
  } else if (!at) {
    $('now-candidate').textContent = 'nobody';
    timer.textContent = 'The circuit has ended';
    timer.classList.remove('short');
  } else {
    $('now-candidate').textContent = `${at.name} (slot ${at.slot})`;
    const left = Date.parse(at.end) - t;
    timer.textContent = `${fmt(left)} left in slot ${at.slot}`;
    timer.classList.toggle('short', left < 2 * 60 * 1000);
  }
  for (const b of $('slot-list').querySelectorAll('button')) {
    const s = st.station.schedule.find((x) => x.candidate === b.dataset.candidate);
    b.disabled = Date.parse(s.start) > t;
  }
}

function fmt(ms) {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const pad = (x) => String(x).padStart(2, '0');
  return h ? `${h}:${pad(m)}:${pad(s % 60)}` : `${pad(m)}:${pad(s % 60)}`;
}

// flushNote sends the note of criterion k ('' for the general note) if it
// is being typed and differs from what is saved or waiting.
function flushNote(k) {
  if (!(k in st.noteTimers)) return;
  clearTimeout(st.noteTimers[k]);
  delete st.noteTimers[k];
  const ta = document.querySelector(`textarea[data-note="${CSS.escape(k)}"]`);
  const text = ta ? ta.value : '';
  if (ta && text !== (shown(currentId()).notes[k] || '')) change(k ? { type: 'note', criterion: k, text } : { type: 'note', text });
  else renderSheet();
}

function flushNotes() {
  for (const k of Object.keys(st.noteTimers)) flushNote(k);
}

function watchNote(ta) {
  const k = ta.dataset.note;
  ta.addEventListener('input', () => {
    clearTimeout(st.noteTimers[k]);
    st.noteTimers[k] = setTimeout(() => flushNote(k), NOTE_DELAY);
    renderStatus();
  });
  ta.addEventListener('blur', () => flushNote(k));
}

function init() {
  $('signin').addEventListener('submit', (ev) => {
    ev.preventDefault();
    $('signin-error').textContent = '';
    signIn($('code').value);
  });
  $('circuit').addEventListener('change', () => {
    flushNotes();
    setCircuit(st.circuits.find((c) => c.id === $('circuit').value));
    renderAll();
  });
  $('station').addEventListener('change', () => {
    flushNotes();
    setStation(st.circuit.stations[Number($('station').value)]);
    renderAll();
  });
  watchNote($('note'));
  // The header's Sign out: this page ends its socket and keeps its outbox.
  document.addEventListener('accredit:signout', (ev) => { ev.preventDefault(); signOut(); });
  // The focus follows the submission: to the question, back to the
  // button, or to the locked notice, which is announced.
  $('submit').addEventListener('click', () => {
    flushNotes();
    $('confirm').hidden = false;
    $('submit').hidden = true;
    $('confirm-text').focus();
  });
  $('confirm-no').addEventListener('click', () => {
    $('confirm').hidden = true;
    $('submit').hidden = false;
    $('submit').focus();
  });
  $('confirm-yes').addEventListener('click', () => {
    $('confirm').hidden = true;
    change({ type: 'submit' });
    if ($('locked').hidden) return;
    $('locked').scrollIntoView({ block: 'center' });
    $('locked').focus();
  });
  $('reconnect').addEventListener('click', () => signIn(st.code));
  window.addEventListener('offline', () => st.conn && st.conn.drop());
  window.addEventListener('online', () => st.conn && st.conn.retryNow());
  setInterval(tick, 1000);
  setInterval(() => {
    if (!st.joined) return;
    if (Date.now() - st.heard > SILENT) st.conn.drop(); // bad Wi-Fi without an offline event
    else st.conn.send({ type: 'ping' });
  }, PING_EVERY);
  // A code from earlier in this tab, or else the staff session, if any.
  signIn(sessionStorage.getItem(CODE_KEY) || '');
}

// signOut ends the staff session and forgets the code; changes not yet
// sent stay on this tablet and go when the assessor signs in again.
async function signOut() {
  flushNotes();
  if (st.conn) st.conn.stop();
  st.joined = false;
  sessionStorage.removeItem(CODE_KEY);
  await api('/api/logout', { method: 'POST' }).catch(() => {});
  st.me = null;
  st.circuit = null;
  st.station = null;
  show('screen-signin');
  $('conn').dataset.state = 'signed-out';
  $('conn').textContent = 'Not signed in';
  $('who').textContent = 'Accredit marking';
  renderStatus();
  document.dispatchEvent(new CustomEvent('accredit:who', { detail: { name: '', role: '' } }));
}

init();
