// Staff sign-in: on success go back to the page that asked (same site only).

import { api } from './api.js';
import { $ } from './dom.js';

const next = new URLSearchParams(location.search).get('next') || '/';
const safe = next.startsWith('/') && !next.startsWith('//') ? next : '/';

// destinations name the staff pages, so the person knows where the code
// leads before typing it.
const destinations = {
  '/': 'the home page',
  '/invigilate': "the invigilator's room",
  '/mark': "the assessor's marking page",
  '/lead': "the lead assessor's circuit",
  '/psychometrics': "the psychometrician's analyses",
  '/standards/': 'standard setting',
  '/audit': 'the audit log',
  '/admin': 'programme administration',
  '/supervisor': 'your team and endorsements',
};
const path = safe.split(/[?#]/)[0];
$('signin-next').textContent = `After you sign in you will go to ${destinations[path] || 'the page you asked for'} (${path}).`;

$('signin').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await api('/api/login', { body: { code: $('code').value.trim() } });
    location.assign(safe);
  } catch (e) {
    $('signin-error').textContent = e.message || 'Sign-in failed';
  }
});
