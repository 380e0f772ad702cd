// The audit log page, for administrators and auditors: filter the log by
// person, sitting, actor, action and time, and download what is shown
// with the signed checkpoint that lets anyone check it.

import { api } from './api.js';
import { $, el } from './dom.js';
import { clockSeconds, fromWallTime, zoneName } from './times.js';

const actions = [
  'staff.', 'staff.signin', 'staff.signout', 'sitting.release',
  'attempt.', 'attempt.pause', 'attempt.resume', 'attempt.extra_time', 'attempt.void',
  'attempt.takeover', 'attempt.deadline_submit',
  'sheet.', 'sheet.moderate', 'sheet.assign_third_marker', 'sheet.lead_decision',
  'standard.decision', 'responses.export',
];

// when is an entry's time in the centres' zone, to the second, with its date.
const day = new Intl.DateTimeFormat('en-CA', { timeZone: zoneName(), year: 'numeric', month: '2-digit', day: '2-digit' });
const when = (t) => `${day.format(new Date(t))} ${clockSeconds(t)}`;

// query is the filter as URL parameters; times typed on the centres' wall
// clock are sent in UTC. A time that cannot be read is an error.
function query() {
  const q = new URLSearchParams();
  for (const name of ['person', 'sitting', 'actor', 'action']) {
    const v = $(name).value.trim();
    if (v) q.set(name, v);
  }
  for (const name of ['from', 'to']) {
    if (!$(name).value) continue;
    const t = fromWallTime($(name).value);
    if (!t) throw new Error(`${name === 'from' ? 'From' : 'To'}: give a date and a time.`);
    q.set(name, t.toISOString().replace(/\.\d+Z$/, 'Z'));
  }
  return q;
}

const actor = (a) => a.role ? `${a.id} (${a.role})` : `${a.id} (${a.kind})`;
const change = (e) => [e.before, e.after].filter((s) => s !== undefined).map((s) => JSON.stringify(s)).join(' → ');

async function show() {
  $('message').textContent = '';
  try {
    const q = query();
    for (const [id, path] of [['csv', '/api/audit/log.csv'], ['jsonl', '/api/audit/log.jsonl']]) {
      $(id).href = `${path}?${q}`;
    }
    const res = await api(`/api/audit/entries?${q}`);
    const shown = res.entries.length < res.total ? `the newest ${res.entries.length} of ${res.total}` : `${res.total}`;
    $('summary').textContent = `${shown} entries. ` + (res.checkpoint
      ? `Latest checkpoint: ${res.checkpoint.split('\n')[1]} entries signed.`
      : 'No checkpoint signed yet.');
    $('entries').tBodies[0].replaceChildren(...res.entries.slice().reverse().map(({ index, entry: e }) => el('tr', {},
      el('td', { text: String(index) }),
      el('td', { text: when(e.time) }),
      el('td', { text: actor(e.actor) }),
      el('td', { text: e.action }),
      el('td', { text: `${e.target.kind} ${e.target.id}` }),
      el('td', { text: e.reason || '' }),
      el('td', { class: 'psy-mono', text: change(e) }),
    )));
  } catch (err) {
    $('message').textContent = err.message;
  }
}

async function init() {
  $('from-label').textContent = `From (${zoneName()})`;
  $('to-label').textContent = `To (${zoneName()})`;
  $('entries-caption').textContent = `Entries, newest first (times ${zoneName()})`;
  $('action').append(...actions.map((a) => el('option', { value: a, text: a.endsWith('.') ? `${a.slice(0, -1)} (all)` : a })));
  $('filter').addEventListener('submit', (ev) => { ev.preventDefault(); show(); });
  show();
}

init().catch((err) => { $('message').textContent = err.message; });
