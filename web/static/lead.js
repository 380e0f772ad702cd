// The lead assessor's live view: progress of the circuit per slot and
// station, flagged double-marking discrepancies, late or missing sheets,
// and moderation of a submitted sheet with a reason. It reads the lead's
// JSON API (engine/marking) every few seconds.

import { api } from './api.js';
import { $, el } from './dom.js';

const REFRESH = 3000; // ms

const st = { circuit: '', view: null, timer: 0, open: null, detail: null };

async function open() {
  try {
    const [me, circuits] = await Promise.all([api('/api/me'), api('/api/marking/circuits')]);
    if (circuits.length === 0) throw new Error('You lead no circuit.');
    $('circuit').replaceChildren(...circuits.map((c) => new Option(c.title, c.id)));
    $('circuit').hidden = circuits.length < 2;
    st.circuit = circuits[0].id;
    $('who').textContent = `Lead assessor · ${me.name}`;
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
    $('updated').textContent = `Updated ${new Date().toLocaleTimeString()}`;
    render();
  } catch (err) {
    $('conn').dataset.state = 'offline';
    $('conn').textContent = `Not updating: ${err.message}`;
  }
  st.timer = setTimeout(refresh, REFRESH);
}

function scoreText(s) {
  const score = s.score === undefined || s.score === null ? '–' : `${s.score}/${s.max}`;
  return `${s.assessor_name}: ${score}, ${s.judgement_label || 'no judgement'}`;
}

function render() {
  const v = st.view;
  const c = v.circuit;
  $('title').textContent = c.title;
  const slot = v.current_slot === 0 ? 'not started' : v.current_slot > c.slots ? 'finished' : `slot ${v.current_slot} of ${c.slots}`;
  $('summary').textContent = `Circuit ${slot} · ${v.submitted} of ${v.expected} sheets submitted · ${v.flags.length} flagged · ${v.late.length} late · ${v.missing.length} missing`;

  const rule = { average: 'the two marks are averaged', lead: 'the lead assessor decides', third_marker: 'a third marker marks' }[c.double_marking.resolution];
  $('flags').replaceChildren(
    ...(v.flags.length === 0
      ? [el('p', {}, 'No discrepancies.')]
      : v.flags.map((f) => {
          const d = f.discrepancy;
          const why = [];
          if (d.score_flag) why.push(`station scores ${d.score_diff} apart (tolerance ${c.double_marking.tolerance})`);
          if (d.judgement_flag) why.push(`global judgements ${d.judgement_steps} steps apart`);
          const div = el('div', { class: 'flag', 'data-station': f.station, 'data-candidate': f.candidate });
          div.append(el('strong', {}, `${f.station} · ${f.name} (slot ${f.slot})`), el('br'));
          div.append(`${f.sheets.map(scoreText).join(' against ')}. Flagged: ${why.join('; ')}. Resolution: ${rule}`);
          if (f.resolver) div.append(`; ${f.resolver.assessor_name}'s sheet is ${f.resolver.status.replace('_', ' ')}`);
          else if (f.resolution === 'third_marker') div.append('; no third marker assigned yet');
          if (f.resolved_score !== undefined) div.append(`; the station score that stands is ${f.resolved_score}`);
          div.append('.');
          if (f.resolver) div.append(' ', chip(f.resolver));
          if (f.third_markers && f.third_markers.length) div.append(assignForm(f));
          return div;
        })),
  );

  const overdue = [...v.late.map((s) => [s, 'late']), ...v.missing.map((s) => [s, 'missing'])];
  $('overdue').replaceChildren(
    ...(overdue.length === 0
      ? [el('li', {}, 'None.')]
      : overdue.map(([s, kind]) => el('li', { 'data-kind': kind }, `${kind === 'late' ? 'Late' : 'Missing'}: ${s.station}, candidate ${s.candidate} (slot ${s.slot}), ${s.assessor_name}`))),
  );

  const grid = $('grid');
  const head = el('tr');
  head.append(el('th', {}, 'Slot'), ...c.stations.map((s) => el('th', {}, `${s.id}: ${s.scenario}`)));
  const rows = v.slots.map((sl) => {
    const tr = el('tr');
    const cur = sl.slot === v.current_slot ? ' (now)' : '';
    tr.append(el('th', {}, `${sl.slot}${cur} · ${new Date(sl.start).toISOString().slice(11, 16)}`));
    for (const stn of c.stations) {
      const cell = sl.stations.find((x) => x.station === stn.id);
      const td = el('td');
      if (cell) {
        td.append(el('div', {}, cell.name));
        if (cell.discrepancy && cell.discrepancy.flagged) td.className = 'flagged';
        for (const s of cell.sheets) td.append(chip(s));
      }
      tr.append(td);
    }
    return tr;
  });
  grid.replaceChildren(head, ...rows);
}

// assignForm lets the lead choose the third marker of a flagged station,
// or another one while the chosen one has not begun.
function assignForm(f) {
  const form = el('form', { class: 'assign' });
  const id = `assign-${f.station}-${f.candidate}`;
  const sel = el('select', { id, 'aria-label': `Third marker for ${f.station}, ${f.name}` });
  sel.append(...f.third_markers.map((a) => new Option(a.name, a.id, false, f.resolver && f.resolver.assessor === a.id)));
  const btn = el('button', { type: 'submit' }, f.resolver ? 'Assign instead' : 'Assign third marker');
  const err = el('span', { class: 'error', role: 'alert' });
  form.append(sel, btn, err);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    btn.disabled = true;
    try {
      await api(`/api/marking/circuits/${encodeURIComponent(st.circuit)}/assign`, {
        body: { station: f.station, candidate: f.candidate, assessor: sel.value },
      });
      refresh();
    } catch (e) {
      err.textContent = e.message;
      btn.disabled = false;
    }
  });
  return form;
}

function chip(s) {
  const label = { submitted: 'submitted', in_progress: `${s.marked}/${s.criteria} marked`, not_started: 'not started' }[s.status];
  const extra = s.late ? ' · late' : s.missing ? ' · missing' : s.moderations ? ` · moderated ${s.moderations}` : '';
  const b = el('button', {
    type: 'button', class: 'chip', 'data-status': s.status, 'data-late': String(s.late), 'data-missing': String(s.missing),
    'data-sheet': `${s.station}/${s.candidate}/${s.assessor}`, disabled: s.status !== 'submitted',
  }, `${s.assessor_name || s.assessor}: ${label}${extra}`);
  b.addEventListener('click', () => openSheet(s));
  return b;
}

async function openSheet(s) {
  st.open = s;
  const path = `/api/marking/circuits/${encodeURIComponent(st.circuit)}/sheets/${s.station}/${s.candidate}/${s.assessor}`;
  try {
    st.detail = await api(path);
  } catch (err) {
    $('mod-error').textContent = err.message;
    return;
  }
  const sh = st.detail.sheet;
  $('mod-title').textContent = `${s.station} · candidate ${s.candidate} · ${s.assessor_name}`;
  const rows = [el('tr')];
  rows[0].append(el('th', {}, 'Criterion'), el('th', {}, 'Submitted'), el('th', {}, 'Now'), el('th', {}, 'Note'));
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
  $('mod-what').replaceChildren(...what);
  scaleOptions();
  $('mod-trail').replaceChildren(
    ...(sh.moderations || []).map((m) =>
      el('li', {}, `${new Date(m.at).toISOString().slice(11, 16)} ${m.by}: ${m.criterion || 'global judgement'} ${m.previous} → ${m.value} (submitted ${m.original}). Reason: ${m.reason}`)),
  );
  $('mod-error').textContent = '';
  $('moderate').hidden = false;
  $('moderate').scrollIntoView();
}

function pointText(points, v) {
  if (v === undefined || v === null) return '–';
  const p = points.find((x) => x.value === v);
  return p ? `${v} · ${p.label}` : String(v);
}

// scaleOptions offers the points of the chosen criterion's own scale, or of
// the judgement scale.
function scaleOptions() {
  const id = $('mod-what').value;
  let points = st.detail.judgement;
  for (const d of st.detail.rubric.domains) {
    const c = d.criteria.find((x) => x.id === id);
    if (c) points = c.points;
  }
  $('mod-value').replaceChildren(...points.map((p) => new Option(`${p.value} · ${p.label}`, String(p.value))));
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
    await openSheet(s);
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
  $('moderate').addEventListener('submit', moderate);
  $('mod-what').addEventListener('change', scaleOptions);
  $('mod-close').addEventListener('click', () => {
    $('moderate').hidden = true;
  });
  open();
}

init();
