// api calls the server's JSON API as the signed-in staff member, for every
// staff page: same-origin credentials, a body given as a value is sent as
// JSON (by POST unless opts.method says otherwise), and the reply is read
// as JSON. A 401 sends the person to the sign-in page, which brings them
// back here; any other failure is thrown as an Error with the server's
// error text.

export async function api(path, opts = {}) {
  const req = { credentials: 'same-origin', ...opts };
  if (opts.body !== undefined) {
    req.method = opts.method || 'POST';
    req.headers = { 'Content-Type': 'application/json', ...opts.headers };
    req.body = JSON.stringify(opts.body);
  }
  const res = await fetch(path, req);
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 && location.pathname !== '/signin') {
    location.assign(`/signin?next=${encodeURIComponent(location.pathname)}`);
  }
  if (!res.ok) throw new Error(body.error || res.statusText || `HTTP ${res.status}`);
  return body;
}
