// api calls the server's JSON API as the signed-in staff member, for every
// staff page: same-origin credentials, a body given as a value is sent as
// JSON (by POST unless opts.method says otherwise), and the reply is read
// as JSON. A 401 sends the person to the sign-in page, which brings them
// back here (the call then never settles), unless opts.stay is set (the candidate's portal signs in on
// its own page); any other failure is thrown as an Error with the
// server's error text, its status as .status and the whole answer as
// .body (a refused import's located faults).

export async function api(path, opts = {}) {
  const { stay, ...rest } = opts;
  const req = { credentials: 'same-origin', ...rest };
  if (opts.body !== undefined) {
    req.method = opts.method || 'POST';
    req.headers = { 'Content-Type': 'application/json', ...opts.headers };
    req.body = JSON.stringify(opts.body);
  }
  const res = await fetch(path, req);
  const body = await res.json().catch(() => ({}));
  if (res.status === 401 && !stay && location.pathname !== '/signin') {
    // The page is leaving: the call neither answers nor fails, so no
    // "sign in first" is shown or thrown on the way out.
    location.assign(`/signin?next=${encodeURIComponent(location.pathname)}`);
    return new Promise(() => {});
  }
  if (!res.ok) {
    const err = new Error(body.error || res.statusText || `HTTP ${res.status}`);
    err.status = res.status;
    err.body = body;
    throw err;
  }
  return body;
}

// apiBlob fetches a file (an image) with the given headers and answers an
// object URL for it; the caller revokes it. A failure is thrown with its
// status as .status.
export async function apiBlob(path, headers = {}) {
  const res = await fetch(path, { credentials: 'same-origin', headers });
  if (!res.ok) {
    const err = new Error(`HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return URL.createObjectURL(await res.blob());
}

// apiText fetches a file with the given headers and answers its text,
// refusing one not served with the content type type (a stylesheet must
// come as text/css). A failure is thrown with its status as .status.
export async function apiText(path, headers, type) {
  const res = await fetch(path, { credentials: 'same-origin', headers });
  if (!res.ok || !(res.headers.get('Content-Type') || '').startsWith(type)) {
    const err = new Error(`HTTP ${res.status}`);
    err.status = res.status;
    throw err;
  }
  return res.text();
}
