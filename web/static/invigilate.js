'use strict';
// The invigilator's page: release the sitting, watch the room, and act on
// one candidate (extra time, pause, resume, end). It holds no answers.
(function () {
  const $ = (id) => document.getElementById(id);
  let sitting = '';

  async function api(path, body) {
    const opts = { credentials: 'same-origin' };
    if (body !== undefined) { opts.method = 'POST'; opts.headers = { 'Content-Type': 'application/json' }; opts.body = JSON.stringify(body); }
    const res = await fetch(path, opts);
    if (res.status === 401) { location.assign('/signin?next=/invigilate'); throw new Error('sign in first'); }
    const data = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  const mmss = (ms) => { const s = Math.ceil(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
  const label = { not_joined: 'not joined', waiting: 'waiting', in_progress: 'in progress', submitted: 'submitted' };

  function button(text, fn) {
    const b = document.createElement('button'); b.type = 'button'; b.textContent = text;
    b.addEventListener('click', async () => {
      try { $('message').textContent = ''; draw(await fn()); } catch (e) { $('message').textContent = e.message; }
    });
    return b;
  }

  function draw(s) {
    $('state').textContent = s.released ? 'Released' : 'Not released: candidates who join will wait';
    $('release').disabled = s.released;
    const base = `/api/sittings/${encodeURIComponent(sitting)}/candidates/`;
    $('candidates').tBodies[0].replaceChildren(...s.candidates.map((c) => {
      const tr = document.createElement('tr');
      const th = document.createElement('th'); th.scope = 'row'; th.textContent = c.name; tr.append(th);
      let status = label[c.status] || c.status;
      if (c.reason) status += ` (${c.reason})`;
      for (const v of [status, c.items ? `${c.answered} of ${c.items}` : '—', c.status === 'in_progress' ? mmss(c.remaining_ms) : '—', c.connected ? 'yes' : 'no']) {
        const td = document.createElement('td'); td.textContent = v; tr.append(td);
      }
      const act = document.createElement('td');
      if (c.status === 'in_progress') {
        const url = base + encodeURIComponent(c.candidate);
        act.append(
          button('+5 min', () => api(url + '/extra-time', { minutes: 5 })),
          button('Pause', () => api(url + '/pause', {})),
          button('Resume', () => api(url + '/resume', {})),
          button('End test', () => {
            const reason = prompt(`End ${c.name}'s test? Give the reason for the record.`);
            if (!reason) return Promise.reject(new Error('not ended: a reason is needed'));
            return api(url + '/void', { reason });
          }),
        );
      }
      tr.append(act);
      return tr;
    }));
  }

  async function refresh() {
    if (!sitting) return;
    try { draw(await api(`/api/sittings/${encodeURIComponent(sitting)}`)); } catch (e) { $('message').textContent = e.message; }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    const me = await api('/api/me');
    $('who').textContent = `${me.name} (${me.role})`;
    const list = await api('/api/sittings');
    $('sitting').replaceChildren(...list.map((s) => new Option(`${s.id} · ${s.centre}`, s.id)));
    sitting = $('sitting').value;
    $('sitting').addEventListener('change', () => { sitting = $('sitting').value; refresh(); });
    $('release').addEventListener('click', async () => {
      try { draw(await api(`/api/sittings/${encodeURIComponent(sitting)}/release`, {})); } catch (e) { $('message').textContent = e.message; }
    });
    refresh();
    setInterval(refresh, 3000);
  });
})();
