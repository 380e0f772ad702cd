// The programme team's results page: each status's adopted standard
// versions; psychometricians adopt a new one, previewing first who would
// change outcome; the sitting windows with their decisions (scores
// shown: this page is the programme team's) and, for administrators,
// the release, refused with every person and reason while evidence or a
// cut is missing; and the appeals of a person to decide.

import { api } from './api.js';
import { $, el } from './dom.js';
import { dateTime, elementName, outcomeName } from './results-words.js';

let role = '';
let statuses = [];

function fail(e) {
  const rs = (e.body && e.body.reasons) || [];
  $('message').textContent = rs.length ? `Refused, for ${rs.length === 1 ? 'this reason' : `these ${rs.length} reasons`}; nothing was changed:` : e.message;
  $('reasons').replaceChildren(...rs.map((r) => el('li', { 'data-code': r.code, text: r.message })));
}

function ok(text) {
  $('message').textContent = '';
  $('reasons').replaceChildren();
  $('status').textContent = text;
}

const num = (v) => (v === undefined || v === null ? '' : String(Math.round(v * 100) / 100));

function cutsText(s) {
  const parts = [];
  for (const [f, c] of Object.entries(s.knowledge || {})) parts.push(`${f}: ${num(c.cut)} (panel ${num(c.panel)} + ${num(c.k)}×${num(c.sem)})`);
  for (const [f, c] of Object.entries(s.role_play || {})) {
    let t = `${f}: ${num(c.cut)}`;
    if (c.no_must_pass_failure) t += ', no must-pass failure';
    if (c.min_stations) t += `, ${c.min_stations} stations at ${num(c.station_cut)}`;
    parts.push(t);
  }
  return parts.join('; ');
}

function showStandards() {
  $('standards').replaceChildren(...statuses.map((s) => el('table', { 'data-status': s.status },
    el('caption', { text: `${s.status}: ${s.versions.length ? `version ${s.versions.length} in force` : 'no standard adopted'}` }),
    el('thead', {}, el('tr', {}, ...['Version', 'Adopted', 'By', 'Cuts', 'Why'].map((h) => el('th', { scope: 'col', text: h })))),
    el('tbody', {}, ...s.versions.map((v) => el('tr', {}, el('td', { text: String(v.version) }), el('td', { text: dateTime(v.at) }),
      el('td', { text: v.by }), el('td', { text: cutsText(v) }), el('td', { text: v.why || '' })))))));
}

function cutInputs(prefix, id, c, rolePlay) {
  const field = (name, text, v) => [el('label', { for: `${prefix}-${id}-${name}`, text }),
    el('input', { id: `${prefix}-${id}-${name}`, type: 'number', step: 'any', value: num(v) })];
  const row = el('fieldset', { class: 'psy-row', 'data-id': id, 'data-kind': prefix },
    el('legend', { text: `${rolePlay ? 'Role-play circuit' : 'Knowledge form'} ${id}` }),
    ...field('panel', 'Panel cut', c.panel), ...field('k', 'k', c.k), ...field('sem', 'SEM', c.sem),
    ...field('cut', 'Cut (0: panel + k×SEM)', c.cut));
  if (rolePlay) {
    row.append(el('input', { id: `${prefix}-${id}-nmp`, type: 'checkbox', checked: !!c.no_must_pass_failure }),
      el('label', { for: `${prefix}-${id}-nmp`, text: 'No must-pass failure' }),
      ...field('min', 'Stations to pass', c.min_stations), ...field('scut', 'Station cut', c.station_cut));
  }
  return row;
}

function showAdoptForm() {
  const s = statuses.find((x) => x.status === $('adopt-status').value) || statuses[0];
  if (!s) return;
  const cur = s.versions[s.versions.length - 1] || {};
  $('adopt-cuts').replaceChildren(
    ...s.forms.map((f) => cutInputs('k', f, (cur.knowledge || {})[f] || {}, false)),
    ...s.circuits.map((f) => cutInputs('rp', f, (cur.role_play || {})[f] || {}, true)));
}

function standardFromForm() {
  const v = (id) => Number($(id).value) || 0;
  const s = { why: $('adopt-why').value, knowledge: {}, role_play: {} };
  for (const fs of $('adopt-cuts').querySelectorAll('fieldset')) {
    const id = fs.dataset.id; const p = `${fs.dataset.kind}-${id}`;
    const c = { panel: v(`${p}-panel`), k: v(`${p}-k`), sem: v(`${p}-sem`), cut: v(`${p}-cut`) };
    if (fs.dataset.kind === 'k') s.knowledge[id] = c;
    else s.role_play[id] = { ...c, no_must_pass_failure: $(`${p}-nmp`).checked, min_stations: v(`${p}-min`), station_cut: v(`${p}-scut`) };
  }
  return s;
}

async function preview() {
  const status = $('adopt-status').value;
  try {
    const { changes } = await api(`/api/results/standards/${encodeURIComponent(status)}/preview?standard=${encodeURIComponent(JSON.stringify(standardFromForm()))}`);
    ok(`${changes.length} ${changes.length === 1 ? 'person' : 'people'} would change outcome.`);
    $('preview-out').replaceChildren(el('table', { id: 'preview-table' },
      el('thead', {}, el('tr', {}, ...['Person', 'Window', 'Now', 'Under this version'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...changes.map((c) => el('tr', { 'data-person': c.person }, el('td', { text: c.person }), el('td', { text: c.window || '' }),
        el('td', { text: outcomeName(c.from.outcome) }), el('td', { text: outcomeName(c.to.outcome) }))))));
  } catch (e) { fail(e); }
}

async function adopt(ev) {
  ev.preventDefault();
  const status = $('adopt-status').value;
  try {
    const s = await api(`/api/results/standards/${encodeURIComponent(status)}`, { body: standardFromForm() });
    ok(`Version ${s.version} of the ${status} standard adopted.`);
    await loadStandards();
  } catch (e) { fail(e); }
}

async function loadStandards() {
  ({ statuses } = await api('/api/results/standards'));
  showStandards();
  if (role !== 'psychometrician') return;
  const sel = $('adopt-status');
  if (!sel.options.length) {
    sel.replaceChildren(...statuses.filter((s) => s.forms.length || s.circuits.length).map((s) => el('option', { value: s.status, text: s.status })));
  }
  $('adopt').hidden = false;
  showAdoptForm();
}

function elementCell(d, name) {
  const e = d.elements.find((x) => x.element === name);
  if (!e) return el('td', { text: '' });
  return el('td', { text: `${e.passed ? 'passed' : 'not passed'}: ${num(e.score)} of ${num(e.max)}, cut ${num(e.cut)}` });
}

async function decisions(win) {
  try {
    const { decisions: ds } = await api(`/api/results/windows/${encodeURIComponent(win)}/decisions`);
    $('decisions').replaceChildren(el('table', { id: 'decisions-table' },
      el('caption', { text: `Decisions of ${win}: ${ds.length} people` }),
      el('thead', {}, el('tr', {}, ...['Person', 'Employer', 'Outcome', elementName('knowledge'), elementName('role_play'), 'Missing'].map((h) => el('th', { scope: 'col', text: h })))),
      el('tbody', {}, ...ds.map((d) => el('tr', { 'data-person': d.person }, el('td', { text: d.person }), el('td', { text: d.employer }),
        el('td', { text: outcomeName(d.outcome) }), elementCell(d, 'knowledge'), elementCell(d, 'role_play'),
        el('td', { text: (d.missing || []).map((m) => m.message).join('; ') }))))));
  } catch (e) { fail(e); }
}

async function release(win) {
  try {
    const rel = await api(`/api/results/windows/${encodeURIComponent(win)}/release`, { method: 'POST' });
    const counts = Object.entries(rel.outcomes).map(([o, n]) => `${n} ${outcomeName(o).toLowerCase()}`).join(', ');
    ok(`Window ${win} released: ${rel.people} people (${counts}).`);
    await loadWindows();
  } catch (e) { fail(e); }
}

async function loadWindows() {
  const { windows } = await api('/api/results/windows');
  $('windows').tBodies[0].replaceChildren(...windows.map((w) => el('tr', { 'data-window': w.id },
    el('td', { text: w.id }), el('td', { text: dateTime(w.from) }), el('td', { text: dateTime(w.to) }),
    el('td', { class: 'release', text: w.release ? `released ${dateTime(w.release.at)} by ${w.release.by}` : 'held' }),
    el('td', {}, el('button', { type: 'button', text: `Decisions of ${w.id}`, onclick: () => decisions(w.id) }),
      role === 'administrator' && !w.release ? el('button', { type: 'button', class: 'release', text: `Release ${w.id}`, onclick: () => release(w.id) }) : null))));
}

function appealItem(person, a, after) {
  const li = el('li', { 'data-appeal': `${person}/${a.id}`, text: `${person}, ${a.id}, lodged ${dateTime(a.lodged)} by ${a.by}: ${a.grounds}. ` });
  if (a.decided) li.append(`Decided ${dateTime(a.decided)}: ${a.upheld ? 'upheld' : 'not upheld'}. ${a.note}`);
  else if (role === 'administrator') li.append(decideForm(person, a.id, after));
  return li;
}

async function loadOpenAppeals() {
  const { appeals } = await api('/api/results/appeals');
  $('open-appeals').replaceChildren(appeals.length
    ? el('ul', { id: 'open-appeals-list' }, ...appeals.map((a) => appealItem(a.person, a, loadOpenAppeals)))
    : el('p', { text: 'No appeal awaits its decision.' }));
}

async function showAppeals(ev) {
  if (ev) ev.preventDefault();
  const person = $('appeals-person').value.trim();
  try {
    const { appeals } = await api(`/api/results/people/${encodeURIComponent(person)}/appeals`);
    $('appeals').replaceChildren(appeals.length ? el('ul', {}, ...appeals.map((a) => appealItem(person, a, showAppeals)))
      : el('p', { text: `${person} has no appeal.` }));
  } catch (e) { fail(e); }
}

function decideForm(person, id, after) {
  const key = `${person}-${id}`;
  const f = el('form', { class: 'psy-row' },
    el('label', { for: `note-${key}`, text: 'Note' }), el('input', { id: `note-${key}`, required: true, size: '40' }),
    el('button', { type: 'submit', value: 'upheld', text: 'Uphold' }), el('button', { type: 'submit', value: 'not', text: 'Do not uphold' }));
  f.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    try {
      await api(`/api/results/people/${encodeURIComponent(person)}/appeals/${encodeURIComponent(id)}/decide`,
        { body: { upheld: ev.submitter && ev.submitter.value === 'upheld', note: $(`note-${key}`).value } });
      ok(`Appeal ${id} of ${person} decided.`);
      await after();
    } catch (e) { fail(e); }
  });
  return f;
}

$('adopt-status').addEventListener('change', showAdoptForm);
$('adopt').addEventListener('submit', adopt);
$('preview').addEventListener('click', preview);
$('appeals-find').addEventListener('submit', showAppeals);
api('/api/me').then(async (me) => {
  role = me.role;
  await loadStandards();
  await loadWindows();
  await loadOpenAppeals();
}).catch(fail);
