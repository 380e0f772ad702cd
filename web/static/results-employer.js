// The employer's view of their people's outcomes, on the supervisor's
// page: each person's outcome once their sitting window is released,
// "held until released" before, what they may re-sit and by when. The
// server sends no score and only this employer's people.

import { api } from './api.js';
import { $, el } from './dom.js';
import { elementList, outcomeName, resitText } from './results-words.js';

function row(p) {
  if (p.held) {
    return el('tr', { 'data-person': p.person, class: 'held' }, el('td', { text: p.name }),
      el('td', { text: 'Held until released' }), el('td', { text: '' }), el('td', { text: '' }));
  }
  const o = p.outcome;
  return el('tr', { 'data-person': p.person }, el('td', { text: p.name }),
    el('td', { class: `outcome result-${o.outcome}`, text: outcomeName(o.outcome) }),
    el('td', { text: o.not_passed.length ? elementList(o.not_passed) : (o.missing || []).join('; ') || 'none' }),
    el('td', { text: resitText(p) || (o.outcome === 'not_met' ? 'Support from the employer first' : '') }));
}

async function showOutcomes() {
  const box = $('outcomes');
  let res;
  try {
    res = await api('/api/employer/outcomes');
  } catch (e) {
    if (e.status === 404) return; // no results on this server
    box.hidden = false;
    box.replaceChildren(el('p', { class: 'psy-error', text: `Outcomes: ${e.message}` }));
    return;
  }
  const released = res.people.filter((p) => !p.held).length;
  box.hidden = false;
  box.replaceChildren(el('table', { id: 'outcomes-table' },
    el('caption', { id: 'outcomes-title', text: `Outcomes: ${released} of ${res.people.length} released` }),
    el('thead', {}, el('tr', {}, ...['Name', 'Outcome', 'Not passed', 'Re-sit'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...res.people.map(row))),
  el('p', { class: 'psy-status', text: 'Outcomes are held until the programme releases each sitting window. There is no grade: each element is passed or not.' }));
}

showOutcomes();
