// The lead assessor's live view: progress of the circuit per slot and
// station, flagged double-marking discrepancies, late or missing sheets,
// and moderation of a submitted sheet with a reason. It reads the lead's
// JSON API (engine/marking) every few seconds and updates the page in
// place, so that the keyboard focus stays where it was.

import { api } from './api.js';
import { $, el } from './dom.js';
import { clock, clockSeconds, zoneName } from './times.js';

const REFRESH = 3000; // ms

const st = { me: null, circuit: '', view: null, timer: 0, open: null, detail: null, names: {} };

// The page shows every time in the centres' time zone, and says which.
const hhmm = { format: clock };
const hhmmss = { format: clockSeconds };

async function open() {
  try {
    const [me, circuits] = await Promise.all([api('/api/me'), api('/api/marking/circuits')]);
    if (circuits.length === 0) throw new Error('You lead no circuit.');
    st.me = me;
    $('circuit').replaceChildren(...circuits.map((c) => new Option(c.title, c.id)));
    $('circuit').hidden = circuits.length < 2;
    st.circuit = circuits[0].id;
    $('who').textContent = `Lead assessor · ${me.name}`;
    $('zone').textContent = `Times in ${zoneName()}`;
    $('screen-view').hidden = false;
    refresh();
  } catch (err) {
    $('open-error').textContent = err.message;
  }
}

async function refresh() {
  clearTimeout(st.timer);
  try {
    st.view = await api(`/api/marking/circuits/${encodeURIComponent(st.circuit)}`);
    $('conn').dataset.state = 'online';
    $('conn').textContent = 'Live';
    $('updated').textContent = `Updated ${hhmmss.format(new Date())}`;
    render();
  } catch (err) {
    $('conn').dataset.state = 'offline';
    $('conn').textContent = `Not updating: ${err.message}`;
  }
  st.timer = setTimeout(refresh, REFRESH);
}

// morph makes the live element from look like the freshly built to,
// keeping from's nodes wherever they still fit (matched by data-key, or by
// position and tag), so that a focused button stays in the page and
// focused. Listeners are not carried over: the page delegates its events.
function morph(from, to) {
  for (const a of [...from.attributes]) if (!to.hasAttribute(a.name)) from.removeAttribute(a.name);
  for (const a of [...to.attributes]) if (from.getAttribute(a.name) !== a.value) from.setAttribute(a.name, a.value);
  const olds = [...from.childNodes];
  const keyed = new Map();
  for (const o of olds) if (o.nodeType === 1 && o.dataset.key) keyed.set(o.dataset.key, o);
  const next = [...to.childNodes].map((n, i) => {
    const key = n.nodeType === 1 ? n.dataset.key : '';
    let o = key ? keyed.get(key) : olds[i];
    if (o && !key && o.nodeType === 1 && o.dataset.key) o = null;
    if (!o || o.nodeType !== n.nodeType || o.nodeName !== n.nodeName) return n;
    if (n.nodeType === 1) morph(o, n);
    else if (o.nodeValue !== n.nodeValue) o.nodeValue = n.nodeValue;
    return o;
  });
  next.forEach((n, i) => {
    if (from.childNodes[i] !== n) from.insertBefore(n, from.childNodes[i] || null);
  });
  while (from.childNodes.length > next.length) from.lastChild.remove();
}

// update morphs the children of the element id into children.
function update(id, children) {
  const live = $(id);
  const fresh = live.cloneNode(false);
  fresh.append(...children);
  morph(live, fresh);
}

function scoreText(s) {
  const score = s.score === undefined || s.score === null ? '–' : `${s.score}/${s.max}`;
  return `${s.assessor_name}: ${score}, ${s.judgement_label || 'no judgement'}`;
}

// who names a candidate: their name and id where the view has the name.
const who = (id) => (st.names[id] ? `${st.names[id]} (${id})` : id);

function render() {
  const v = st.view;
  const c = v.circuit;
  st.names = {};
  for (const sl of v.slots) for (const cell of sl.stations) st.names[cell.candidate] = cell.name;
  $('title').textContent = c.title;
  const slot = v.current_slot === 0 ? 'not started' : v.current_slot > c.slots ? 'finished' : `slot ${v.current_slot} of ${c.slots}`;
  $('summary').textContent = `Circuit ${slot} · ${v.submitted} of ${v.expected} sheets submitted · ${v.flags.length} flagged · ${v.late.length} late · ${v.missing.length} missing`;

  const rule = { average: 'the two marks are averaged', lead: 'the lead assessor decides', third_marker: 'a third marker marks' }[c.double_marking.resolution];
  update('flags', v.flags.length === 0
    ? [el('p', {}, 'No discrepancies.')]
    : v.flags.map((f) => {
        const d = f.discrepancy;
        const why = [];
        if (d.score_flag) why.push(`station scores ${d.score_diff} apart (tolerance ${c.double_marking.tolerance})`);
        if (d.judgement_flag) why.push(`global judgements ${d.judgement_steps} steps apart`);
        const div = el('div', { class: 'flag', 'data-key': `${f.station}/${f.candidate}`, 'data-station': f.station, 'data-candidate': f.candidate });
        div.append(el('strong', {}, `${f.station} · ${f.name} (slot ${f.slot})`), el('br'));
        div.append(`${f.sheets.map(scoreText).join(' against ')}. Flagged: ${why.join('; ')}. Resolution: ${rule}`);
        if (f.resolver) div.append(`; ${f.resolver.assessor_name}'s sheet is ${f.resolver.status.replace('_', ' ')}`);
        else if (f.resolution === 'third_marker') div.append('; no third marker assigned yet');
        if (f.resolved_score !== undefined) div.append(`; the station score that stands is ${f.resolved_score}`);
        div.append('.');
        const chips = el('div', { class: 'chips' }, ...f.sheets.map(chip));
        if (f.resolver) chips.append(chip(f.resolver));
        div.append(chips);
        // The lead does not third-mark her own circuit: she decides instead.
        const markers = (f.third_markers || []).filter((a) => a.id !== c.lead_assessor && (!st.me || a.id !== st.me.id));
        if (markers.length) div.append(assignForm(f, markers));
        return div;
      }));

  const overdue = [...v.late.map((s) => [s, 'late']), ...v.missing.map((s) => [s, 'missing'])];
  update('overdue', overdue.length === 0
    ? [el('li', {}, 'None.')]
    : overdue.map(([s, kind]) => el('li', { 'data-kind': kind, 'data-key': `${kind}/${s.station}/${s.candidate}/${s.assessor}` },
        `${kind === 'late' ? 'Late' : 'Missing'}: ${s.station}, ${who(s.candidate)} (slot ${s.slot}), ${s.assessor_name}`)));

  const head = el('tr', { 'data-key': 'head' });
  head.append(el('th', { scope: 'col' }, `Slot (${zoneName()})`), ...c.stations.map((s) => el('th', { scope: 'col' }, `${s.id}: ${s.scenario}`)));
  const rows = v.slots.map((sl) => {
    const tr = el('tr', { 'data-key': `slot-${sl.slot}` });
    const cur = sl.slot === v.current_slot ? ' (now)' : '';
    tr.append(el('th', { scope: 'row' }, `${sl.slot}${cur} · ${hhmm.format(new Date(sl.start))}`));
    for (const stn of c.stations) {
      const cell = sl.stations.find((x) => x.station === stn.id);
      const td = el('td');
      if (cell) {
        td.append(el('div', {}, cell.name));
        if (cell.discrepancy && cell.discrepancy.flagged) {
          td.className = 'flagged';
          td.append(el('div', { class: 'flag-note' }, 'Flagged'));
        }
        for (const s of cell.sheets) td.append(chip(s));
      }
      tr.append(td);
    }
    return tr;
  });
  update('grid', [head, ...rows]);
}

// assignForm lets the lead choose the third marker of a flagged station,
// or another one while the chosen one has not begun. Its submit is handled
// by the #flags listener.
function assignForm(f, markers) {
  const id = `assign-${f.station}-${f.candidate}`;
  const form = el('form', { class: 'assign', 'data-station': f.station, 'data-candidate': f.candidate });
  const sel = el('select', { id, 'aria-label': `Third marker for ${f.station}, ${f.name}` });
  sel.append(...markers.map((a) => new Option(a.name, a.id, false, !!f.resolver && f.resolver.assessor === a.id)));
  const text = f.resolver ? 'Assign instead' : 'Assign third marker';
  const btn = el('button', { type: 'submit', 'aria-label': `${text} for ${f.station}, ${f.name}` }, text);
  form.append(sel, btn, el('span', { class: 'error', role: 'alert' }));
  return form;
}

async function assign(ev) {
  const form = ev.target.closest('form.assign');
  if (!form) return;
  ev.preventDefault();
  const btn = form.querySelector('button');
  const err = form.querySelector('.error');
  btn.disabled = true;
  try {
    await api(`/api/marking/circuits/${encodeURIComponent(st.circuit)}/assign`, {
      body: { station: form.dataset.station, candidate: form.dataset.candidate, assessor: form.querySelector('select').value },
    });
    err.textContent = '';
    await refresh();
  } catch (e) {
    err.textContent = e.message;
  }
  btn.disabled = false;
}

const STATUS = { submitted: 'submitted', not_started: 'not started' };

// chip shows one sheet: a submitted one is a button that opens it; any
// other is text saying how far it has come.
function chip(s) {
  const label = STATUS[s.status] || `${s.marked}/${s.criteria} marked`;
  const extra = s.late ? ' · late' : s.missing ? ' · missing' : s.moderations ? ` · moderated ${s.moderations}` : '';
  const text = `${s.assessor_name || s.assessor}: ${label}${extra}`;
  const key = `${s.station}/${s.candidate}/${s.assessor}`;
  const attrs = { class: 'chip', 'data-status': s.status, 'data-late': String(s.late), 'data-missing': String(s.missing), 'data-sheet': key, 'data-key': key };
  if (s.status !== 'submitted') return el('span', attrs, text);
  return el('button', { type: 'button', ...attrs, 'aria-label': `${text}: open the sheet, ${s.station}, ${who(s.candidate)}` }, text);
}

function chipClicked(ev) {
  const b = ev.target.closest('button.chip');
  if (!b) return;
  const [station, candidate, assessor] = b.dataset.sheet.split('/');
  openSheet({ station, candidate, assessor }, true);
}

// openSheet shows the sheet for moderation; focus, when asked, moves to
// its heading, which is announced.
async function openSheet(s, focus) {
  st.open = s;
  const path = `/api/marking/circuits/${encodeURIComponent(st.circuit)}/sheets/${s.station}/${s.candidate}/${s.assessor}`;
  try {
    st.detail = await api(path);
  } catch (err) {
    $('open-error').textContent = err.message;
    return;
  }
  const sh = st.detail.sheet;
  const names = st.detail.names || {};
  const name = (id) => names[id] || id;
  $('mod-title').textContent = `Sheet: ${s.station} · ${who(s.candidate)} · ${name(s.assessor)}`;
  const rows = [el('tr')];
  rows[0].append(el('th', { scope: 'col' }, 'Criterion'), el('th', { scope: 'col' }, 'Submitted'), el('th', { scope: 'col' }, 'Now'), el('th', { scope: 'col' }, 'Note'));
  const what = [];
  for (const d of st.detail.rubric.domains) {
    for (const c of d.criteria) {
      const tr = el('tr');
      tr.append(el('td', {}, c.title), el('td', {}, pointText(c.points, sh.original_marks[c.id])), el('td', {}, pointText(c.points, sh.marks[c.id])),
        el('td', {}, (sh.notes && sh.notes[c.id]) || ''));
      rows.push(tr);
      what.push(new Option(c.title, c.id));
    }
  }
  const scale = st.detail.judgement;
  const jr = el('tr');
  jr.append(el('td', {}, 'Global judgement'), el('td', {}, pointText(scale, sh.original_judgement)), el('td', {}, pointText(scale, sh.judgement)),
    el('td', {}, (sh.notes && sh.notes['']) || ''));
  rows.push(jr);
  what.push(new Option('Global judgement', ''));
  $('mod-marks').replaceChildren(...rows);
  const chosen = $('mod-what').value;
  $('mod-what').replaceChildren(...what);
  if (!focus && what.some((o) => o.value === chosen)) $('mod-what').value = chosen;
  scaleOptions();
  const crit = {};
  for (const d of st.detail.rubric.domains) for (const c of d.criteria) crit[c.id] = c.title;
  $('mod-trail').replaceChildren(
    ...(sh.moderations || []).map((m) =>
      el('li', {}, `${hhmm.format(new Date(m.at))} ${name(m.by)}: ${m.criterion ? crit[m.criterion] || m.criterion : 'global judgement'} ${m.previous} → ${m.value} (submitted ${m.original}). Reason: ${m.reason}`)),
  );
  if ((sh.moderations || []).length === 0) $('mod-trail').append(el('li', {}, 'No moderation yet.'));
  $('mod-error').textContent = '';
  $('moderate').hidden = false;
  if (focus) {
    $('mod-done').textContent = '';
    $('mod-title').focus();
  }
}

function pointText(points, v) {
  if (v === undefined || v === null) return '–';
  const p = points.find((x) => x.value === v);
  return p ? `${v} · ${p.label}` : String(v);
}

// scaleOptions offers the points of the chosen criterion's own scale, or of
// the judgement scale, with the sheet's current value chosen: a moderation
// changes nothing unless the lead picks another value.
function scaleOptions() {
  const id = $('mod-what').value;
  const sh = st.detail.sheet;
  let points = st.detail.judgement;
  let current = sh.judgement;
  for (const d of st.detail.rubric.domains) {
    const c = d.criteria.find((x) => x.id === id);
    if (c) {
      points = c.points;
      current = sh.marks[c.id];
    }
  }
  $('mod-value').replaceChildren(...points.map((p) => new Option(`${p.value} · ${p.label}${p.value === current ? ' (current)' : ''}`, String(p.value), false, p.value === current)));
}

async function moderate(ev) {
  ev.preventDefault();
  const s = st.open;
  try {
    await api(`/api/marking/circuits/${encodeURIComponent(st.circuit)}/moderate`, {
      body: {
        station: s.station, candidate: s.candidate, assessor: s.assessor,
        criterion: $('mod-what').value, value: Number($('mod-value').value), reason: $('mod-reason').value,
      },
    });
    $('mod-reason').value = '';
    await openSheet(s, false);
    $('mod-done').textContent = 'Moderation recorded in the audit trail.';
    refresh();
  } catch (err) {
    $('mod-error').textContent = err.message;
  }
}

function init() {
  $('circuit').addEventListener('change', () => {
    st.circuit = $('circuit').value;
    $('moderate').hidden = true;
    refresh();
  });
  $('flags').addEventListener('submit', assign);
  $('flags').addEventListener('click', chipClicked);
  $('grid').addEventListener('click', chipClicked);
  $('moderate').addEventListener('submit', moderate);
  $('mod-what').addEventListener('change', scaleOptions);
  $('mod-close').addEventListener('click', () => {
    $('moderate').hidden = true;
    const b = st.open && document.querySelector(`button.chip[data-sheet="${CSS.escape(`${st.open.station}/${st.open.candidate}/${st.open.assessor}`)}"]`);
    if (b) b.focus();
  });
  open();
}

init();
