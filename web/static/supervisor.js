// The supervisor's page: their employer's people, what blocks each from
// booking, and the practice endorsement form. Employer administrators see
// the same team without the form.

import { api } from './api.js';
import { $, el } from './dom.js';

let role = '';
let person = null; // the person being endorsed

const blocked = (p) => p.blocked.length === 0 ? 'Yes' : p.blocked.map((r) => r.message).join('; ');

async function show() {
  const res = await api('/api/employer/people');
  role = res.role;
  $('employer').textContent = `People of ${res.employer.name}`;
  $('team').tBodies[0].replaceChildren(...res.people.map((p) => el('tr', { 'data-person': p.id },
    el('td', { text: p.name }),
    el('td', { text: p.registration }),
    el('td', { text: p.employment }),
    el('td', { text: p.started }),
    el('td', { class: 'blocked', text: blocked(p) }),
    el('td', {}, role === 'supervisor'
      ? el('button', { type: 'button', class: 'endorse', text: `Endorse ${p.name}`, onclick: () => open(p) })
      : null),
  )));
}

function open(p) {
  person = p;
  $('endorse-title').textContent = `Practice endorsement for ${p.name} (${p.seeks})`;
  $('endorse').hidden = false;
  $('session1').focus();
}

async function endorse(ev) {
  ev.preventDefault();
  $('message').textContent = '';
  const sessions = [$('session1').value, $('session2').value].filter((s) => s);
  try {
    await api(`/api/employer/people/${encodeURIComponent(person.id)}/endorsements`, { body: {
      status: person.seeks, sessions, summary: $('summary').value,
      feedback_considered: $('feedback').checked, feedback_summary: $('feedback-summary').value,
      outcome: $('outcome').value, reason: $('reason').value,
    } });
    $('status').textContent = `Endorsement recorded for ${person.name}.`;
    $('endorse').hidden = true;
    $('endorse').reset();
    await show();
  } catch (e) {
    $('message').textContent = e.message;
  }
}

$('endorse').addEventListener('submit', endorse);
$('endorse-cancel').addEventListener('click', () => { $('endorse').hidden = true; });
show().catch((e) => { $('message').textContent = e.message; });
