// Staff sign-in: on success go back to the page that asked (same site only).

import { api } from './api.js';
import { $ } from './dom.js';

const next = new URLSearchParams(location.search).get('next') || '/';
const safe = next.startsWith('/') && !next.startsWith('//') ? next : '/';

$('signin').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  try {
    await api('/api/login', { body: { code: $('code').value.trim() } });
    location.assign(safe);
  } catch (e) {
    $('signin-error').textContent = e.message || 'Sign-in failed';
  }
});
