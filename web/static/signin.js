'use strict';
// Staff sign-in: on success go back to the page that asked (same site only).
document.addEventListener('DOMContentLoaded', () => {
  const next = new URLSearchParams(location.search).get('next') || '/';
  const safe = next.startsWith('/') && !next.startsWith('//') ? next : '/';
  document.getElementById('signin').addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const res = await fetch('/api/login', {
      method: 'POST', credentials: 'same-origin', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ code: document.getElementById('code').value.trim() }),
    });
    if (res.ok) { location.assign(safe); return; }
    const body = await res.json().catch(() => ({}));
    document.getElementById('signin-error').textContent = body.error || 'Sign-in failed';
  });
});
