// The shared header: who is signed in, in which role, and Sign out. It
// asks the server (the staff session, or the candidate's portal session
// when the header says data-who="portal") and shows nothing it was not
// told. A page that signs people in or out itself dispatches
// "accredit:who" on document to have the header ask again, or with a
// detail {name, role} to say who it signed in (name '' for no one: the
// marking page signs assessors in on its socket); a page that
// must do more on sign-out (the marking page keeps its outbox) cancels
// the "accredit:signout" event and signs out itself.

import { api } from './api.js';

const ROLES = {
  candidate: 'Candidate', assessor: 'Assessor', lead_assessor: 'Lead assessor', invigilator: 'Invigilator',
  psychometrician: 'Psychometrician', administrator: 'Administrator', auditor: 'Auditor',
  supervisor: 'Supervisor', employer_admin: "Employer's administrator",
};

const bar = document.querySelector('header.bar');
const portal = bar.dataset.who === 'portal';
const text = document.getElementById('bar-who');
const out = document.getElementById('signout');

export function roleName(role) { return ROLES[role] || role; }

let asked = 0; // the latest question or page's word; older answers are dropped

async function who() {
  const n = ++asked;
  const answer = (name, role) => { if (n === asked) show(name, role); };
  try {
    if (portal) {
      const me = await api('/api/portal/me', { stay: true });
      answer(`${me.person.name} (${me.person.registration})`, 'candidate');
    } else {
      const me = await api('/api/me', { stay: true });
      answer(me.name, me.role);
    }
  } catch {
    answer('', '');
  }
}

function show(name, role) {
  const t = name ? `Signed in as ${name} · ${roleName(role)}` : 'Not signed in';
  if (text.textContent !== t) text.textContent = t;
  bar.dataset.role = role;
  out.hidden = !name;
}

out.addEventListener('click', async () => {
  if (!document.dispatchEvent(new CustomEvent('accredit:signout', { cancelable: true }))) return;
  await api(portal ? '/api/portal/logout' : '/api/logout', { method: 'POST', stay: true }).catch(() => {});
  location.assign(portal ? '/portal' : `/signin?next=${encodeURIComponent(location.pathname)}`);
});

document.addEventListener('accredit:who', (ev) => {
  if (!ev.detail) { who(); return; }
  asked++;
  show(ev.detail.name, ev.detail.role);
});
who();
