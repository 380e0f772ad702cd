// The candidate's result on their portal. Before their sitting window is
// released it says only that the result is held until released; after
// it, the outcome, each element passed or not passed, what to re-sit and
// by when, the feedback by domain when the programme gives it, and the
// appeal form while appeals are open. The server sends no score, so none
// can be shown.

import { api } from './api.js';
import { $, el } from './dom.js';
import { day, elementName, outcomeName, resitText } from './results-words.js';

const SAY = {
  met: 'You met the standard: you passed every element.',
  partially_met: 'You passed one element. You may re-sit the element not passed on the fast track.',
  not_met: 'You did not meet the standard this time. Your employer will support you before any re-sit; your registration is not affected.',
  incomplete: 'There is no decision: part of your assessment is missing.',
};

async function lodge(ev) {
  ev.preventDefault();
  $('result-message').textContent = '';
  try {
    await api('/api/portal/appeals', { body: { grounds: $('appeal-grounds').value }, stay: true });
    $('status').textContent = 'Your appeal is lodged: you will hear its decision here.';
    await showResult();
  } catch (e) {
    $('result-message').textContent = e.body && e.body.reasons ? e.body.reasons.map((r) => r.message).join('; ') : e.message;
  }
}

function appealPart(v) {
  const appeals = v.appeals || [];
  const open = appeals.some((a) => !a.decided);
  const list = appeals.length ? el('ul', { class: 'result-appeals' }, ...appeals.map((a) => el('li', { 'data-appeal': a.id,
    text: a.decided ? `Appeal lodged ${day(a.lodged)}: ${a.upheld ? 'upheld' : 'not upheld'}. ${a.note}`
      : `Appeal lodged ${day(a.lodged)}: awaiting its decision.` }))) : null;
  if (!v.appeals_close || open) return [el('h3', { text: 'Appeals' }), list];
  const form = el('form', { id: 'appeal', class: 'result-appeal' },
    el('p', { text: `You may appeal against this result until ${day(v.appeals_close)}.` }),
    el('p', {}, el('label', { for: 'appeal-grounds', text: 'Your grounds for appeal' }), el('br'),
      el('textarea', { id: 'appeal-grounds', rows: '3', cols: '60', required: true })),
    el('p', {}, el('button', { type: 'submit', text: 'Lodge the appeal' })));
  form.addEventListener('submit', lodge);
  return [el('h3', { text: 'Appeals' }), list, form];
}

function resultPart(v) {
  const o = v.outcome;
  const rows = [...o.passed.map((e) => [e, 'Passed']), ...o.not_passed.map((e) => [e, 'Not passed'])];
  const parts = [
    el('p', { class: `result-outcome result-${o.outcome}`, id: 'result-outcome', text: outcomeName(o.outcome) }),
    el('p', { text: SAY[o.outcome] || '' }),
    rows.length ? el('table', { id: 'result-elements' },
      el('caption', { text: 'Each element is passed or not passed: there is no grade.' }),
      el('thead', {}, el('tr', {}, el('th', { scope: 'col', text: 'Element' }), el('th', { scope: 'col', text: 'Result' }))),
      el('tbody', {}, ...rows.map(([e, r]) => el('tr', { 'data-element': e }, el('td', { text: elementName(e) }), el('td', { text: r }))))) : null,
    o.missing && o.missing.length ? el('p', { text: `Missing: ${o.missing.join('; ')}` }) : null,
    resitText(v) ? el('p', { id: 'result-resit', class: 'result-resit', text: resitText(v) }) : null,
  ];
  const fb = o.feedback;
  const domain = (d) => (v.domains && v.domains[d]) || d;
  if (fb && (fb.strengths.length || fb.develop.length)) {
    parts.push(el('h3', { text: 'Feedback by knowledge-and-skills domain' }),
      el('div', { id: 'result-feedback', class: 'result-feedback' },
        el('p', { text: 'Strengths' }), el('ul', { class: 'strengths' }, ...(fb.strengths.length ? fb.strengths.map(domain) : ['none this time']).map((d) => el('li', { text: d }))),
        el('p', { text: 'Areas to develop' }), el('ul', { class: 'develop' }, ...(fb.develop.length ? fb.develop.map(domain) : ['none this time']).map((d) => el('li', { text: d })))));
  }
  parts.push(el('p', { class: 'psy-status', text: `Released on ${day(o.released)}.` }), ...appealPart(v));
  return parts;
}

async function showResult() {
  const box = $('result');
  let v;
  try {
    v = await api('/api/portal/outcome', { stay: true });
  } catch {
    box.hidden = true; // signed out: the portal asks for the code
    return;
  }
  box.hidden = false;
  const parts = v.held ? [el('p', { id: 'result-held', class: 'result-held', text: 'Your result is held until released: outcomes are released for everyone who sat in the same window at once.' })]
    : resultPart(v);
  box.replaceChildren(el('h2', { id: 'result-title', text: 'Your result' }),
    el('p', { id: 'result-message', role: 'alert', class: 'psy-error' }), ...parts.filter((p) => p));
}

document.addEventListener('accredit:who', () => { showResult(); });
showResult();
