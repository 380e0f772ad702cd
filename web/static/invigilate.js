// The invigilator's page: release the sitting, watch the room, and act on
// one candidate (extra time, pause, resume, end). It holds no answers.

import { api } from './api.js';
import { $, el } from './dom.js';

let sitting = '';

const mmss = (ms) => { const s = Math.ceil(ms / 1000); return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`; };
const label = { not_joined: 'not joined', waiting: 'waiting', in_progress: 'in progress', submitted: 'submitted' };

function button(text, fn) {
  const b = el('button', { type: 'button', text });
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
    let status = label[c.status] || c.status;
    if (c.reason) status += ` (${c.reason})`;
    const cells = [status, c.items ? `${c.answered} of ${c.items}` : '—', c.status === 'in_progress' ? mmss(c.remaining_ms) : '—', c.connected ? 'yes' : 'no'];
    const act = el('td');
    if (c.status === 'in_progress') {
      const url = base + encodeURIComponent(c.candidate);
      act.append(
        button('+5 min', () => api(url + '/extra-time', { body: { minutes: 5 } })),
        button('Pause', () => api(url + '/pause', { body: {} })),
        button('Resume', () => api(url + '/resume', { body: {} })),
        button('End test', () => {
          const reason = prompt(`End ${c.name}'s test? Give the reason for the record.`);
          if (!reason) return Promise.reject(new Error('not ended: a reason is needed'));
          return api(url + '/void', { body: { reason } });
        }),
      );
    }
    return el('tr', {}, el('th', { scope: 'row', text: c.name }), ...cells.map((v) => el('td', { text: v })), act);
  }));
}

async function refresh() {
  if (!sitting) return;
  try { draw(await api(`/api/sittings/${encodeURIComponent(sitting)}`)); } catch (e) { $('message').textContent = e.message; }
}

async function start() {
  const me = await api('/api/me');
  $('who').textContent = `${me.name} (${me.role})`;
  const list = await api('/api/sittings');
  $('sitting').replaceChildren(...list.map((s) => new Option(`${s.id} · ${s.centre}`, s.id)));
  sitting = $('sitting').value;
  $('sitting').addEventListener('change', () => { sitting = $('sitting').value; refresh(); });
  $('release').addEventListener('click', async () => {
    try { draw(await api(`/api/sittings/${encodeURIComponent(sitting)}/release`, { body: {} })); } catch (e) { $('message').textContent = e.message; }
  });
  refresh();
  setInterval(refresh, 3000);
}

start().catch((e) => { $('message').textContent = e.message; });
