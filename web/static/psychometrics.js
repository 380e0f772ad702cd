// The psychometrician's page: the same analyses as `accredit analyse`, run by
// the server on a sitting's submitted attempts.

import { api } from './api.js';
import { $, el } from './dom.js';

const fmt = (v, d = 3) => (v === null || v === undefined || Number.isNaN(v)) ? '—' : Number(v).toFixed(d);

function rows(tbody, list, cells) {
  tbody.replaceChildren(...list.map((x) => el('tr', {}, ...cells(x).map((c, i) => {
    const cell = typeof c === 'object' && c !== null ? { text: c.text, class: c.cls || '' } : { text: c };
    return el(i === 0 ? 'th' : 'td', i === 0 ? { scope: 'row', ...cell } : cell);
  }))));
}

const status = (msg) => { $('status').textContent = msg; $('status-detail').hidden = true; };

// PLAIN says what the common analysis errors mean, by the server's words.
const PLAIN = [
  [/no submitted attempts/i, 'No candidate has submitted an attempt in this sitting yet: the analyses appear once attempts are submitted.'],
  [/fewer than two (items with variance|estimable items)/i,
    'Too few questions separate the candidates yet: at least two must have been answered both right and wrong. More submitted attempts are needed.'],
  [/fewer than two persons|no person with a non-extreme/i,
    'Too few candidates for this analysis yet: it needs at least two whose scores are neither zero nor full marks.'],
  [/total scores have no variance/i, 'Every candidate has the same total score, so the items cannot be compared yet.'],
];

// failed shows an error as a plain sentence where it is a common one,
// keeping the server's words in a collapsed detail.
function failed(e) {
  const plain = PLAIN.find(([re]) => re.test(e.message));
  if (!plain) { status(e.message); return; }
  $('status').textContent = plain[1];
  $('status-detail').hidden = false;
  $('status-detail-text').textContent = e.message;
}
const sitting = () => $('sitting').value;
const base = () => '/api/sittings/' + encodeURIComponent(sitting());

async function loadItems() {
  status('Analysing items…');
  try {
    const r = await api(base() + '/analysis/items');
    $('items-summary').textContent = `${r.persons} candidates, ${r.num_items} items: alpha ${fmt(r.alpha)}, ` +
      `SEM ${fmt(r.sem, 2)}, mean ${fmt(r.mean_total, 2)} (SD ${fmt(r.sd_total, 2)})` +
      (r.excluded_items && r.excluded_items.length ? `; excluded: ${r.excluded_items.map((e) => e.id + ' (' + e.reason + ')').join(', ')}` : '');
    rows($('items-table').tBodies[0], r.items, (it) => [it.id, it.n, fmt(it.facility), fmt(it.point_biserial),
      fmt(it.corrected_item_total), fmt(it.alpha_if_deleted), { text: (it.flags || []).join(', '), cls: 'flag' }]);
    status('');
  } catch (e) { failed(e); }
}

async function loadRasch() {
  status('Calibrating…');
  try {
    const r = await api(base() + '/analysis/rasch');
    $('rasch-summary').textContent = `${r.persons_calibration} of ${r.persons_total} candidates calibrate ` +
      `(${r.persons_extreme} with extreme scores); conditional log-likelihood ${fmt(r.conditional_loglik, 2)}`;
    rows($('rasch-table').tBodies[0], r.items, (it) => [it.id, fmt(it.difficulty), fmt(it.se), fmt(it.fit.infit_msq, 2), fmt(it.fit.outfit_msq, 2)]);
    status('');
  } catch (e) { failed(e); }
}

// GROUPINGS are the fields the DIF and impact analyses group candidates
// by; the server joins the monitoring fields to the programme's records.
const GROUPINGS = [['employer', 'Employer'], ['age_band', 'Age band'], ['sex', 'Sex'], ['ethnic_group', 'Ethnic group'], ['disability', 'Disability']];
const groupQuery = (sel) => 'by=' + encodeURIComponent(sel.value);

// loadGroups fills the reference and focal choices with the groups of the
// chosen field; a group under the minimum size is shown but not offered.
async function loadGroups() {
  $('dif-note').textContent = '';
  let r;
  try { r = await api(base() + '/groups?' + groupQuery($('dif-by'))); } catch (e) {
    for (const sel of [$('ref'), $('focal')]) sel.replaceChildren();
    $('dif-note').textContent = e.message;
    return;
  }
  const opts = () => r.groups.map((g) => {
    const o = new Option(g.small ? `${g.group} (fewer than ${r.min_group})` : `${g.group} (${g.n})`, g.group);
    o.disabled = !!g.small;
    return o;
  });
  $('ref').replaceChildren(...opts());
  $('focal').replaceChildren(...opts());
  const usable = r.groups.map((g, i) => (g.small ? -1 : i)).filter((i) => i >= 0);
  if (usable.length) $('ref').selectedIndex = usable[0];
  if (usable.length > 1) $('focal').selectedIndex = usable[1];
  const small = r.groups.filter((g) => g.small).map((g) => g.group);
  $('dif-note').textContent = small.length
    ? `Groups of fewer than ${r.min_group} candidates are not compared: ${small.join(', ')}.` : '';
}

async function runDIF() {
  status('Comparing groups…');
  try {
    const q = `?${groupQuery($('dif-by'))}&reference=${encodeURIComponent($('ref').value)}&focal=${encodeURIComponent($('focal').value)}`;
    const r = await api(base() + '/analysis/dif' + q);
    rows($('dif-table').tBodies[0], r.items, (it) => [it.id, fmt(it.alpha_mh), fmt(it.delta_mh, 2), fmt(it.se_delta_mh, 2), it.ets_class || '—']);
    [...$('dif-table').tBodies[0].rows].forEach((tr, i) => {
      tr.dataset.item = r.items[i].id;
      tr.classList.toggle('dif-c', r.items[i].ets_class === 'C');
    });
    const c = r.items.filter((it) => it.ets_class === 'C').map((it) => it.id);
    status(`${r.n_reference} reference (${$('ref').value}) and ${r.n_focal} focal (${$('focal').value}) candidates; ` +
      (c.length ? `large DIF (class C): ${c.join(', ')}` : 'no item shows large DIF (class C)'));
  } catch (e) { failed(e); }
}

async function runImpact() {
  status('Applying the cut…');
  try {
    const r = await api(base() + '/analysis/impact?' + groupQuery($('impact-by')) + '&cut=' + encodeURIComponent($('cut').value));
    rows($('impact-table').tBodies[0], r.groups, (g) => [g.group || '(none)', g.n, g.passed, fmt(g.pass_rate),
      fmt(g.impact_ratio), g.four_fifths_violated ? { text: 'below 4/5', cls: 'flag' } : 'ok', fmt(g.fisher_p)]);
    $('impact-note').textContent = (r.suppressed && r.suppressed.length
      ? `Groups of fewer than ${r.min_group} candidates are not shown: ${r.suppressed.join(', ')}. ` : '') +
      (r.unlabelled ? `${r.unlabelled} candidates not in a shown group (not stated, or in a small group).` : '');
    status('');
  } catch (e) { failed(e); }
}

const mmss = (ms) => { const t = Math.round(Math.abs(ms) / 1000); return `${ms < 0 ? '-' : '+'}${Math.floor(t / 60)}:${String(t % 60).padStart(2, '0')}`; };

// loadIncidents shows the sitting's incident log and each candidate's
// attempt beside the incidents that touched it (numbered as in the log).
async function loadIncidents() {
  status('Reading the incident log…');
  try {
    const r = await api(base() + '/incidents');
    const when = (at) => new Date(at).toLocaleString();
    const attempt = (a) => a.status.replace('_', ' ') + (a.reason ? ` (${a.reason}${a.detail ? ': ' + a.detail : ''})` : '');
    const added = (a) => [a.planned_ms ? `planned ${mmss(a.planned_ms)}` : '', a.extra_ms ? `incident ${mmss(a.extra_ms)}` : ''].filter(Boolean).join(', ') || '—';
    const touched = (a) => a.incidents.map((i) => `${i + 1}. ${r.incidents[i].category}: ${r.incidents[i].text}`).join('; ') || '—';
    rows($('incident-attempts').tBodies[0], r.attempts, (a) => [a.candidate, attempt(a),
      a.status !== 'submitted' ? '—' : (a.counts ? 'yes' : { text: 'no', cls: 'flag' }), added(a), a.drops, { text: touched(a), cls: a.incidents.length ? 'flag' : '' }]);
    rows($('incident-log').tBodies[0], r.incidents, (x) => [String(r.incidents.indexOf(x) + 1), when(x.at), x.category, x.reporter,
      x.candidates.length ? x.candidates.join(', ') : 'the whole room', x.text]);
    const touchedN = r.attempts.filter((a) => a.incidents.length).length;
    $('incidents-summary').textContent = `${r.incidents.length} incidents logged; ${touchedN} of ${r.attempts.length} candidates touched by one or more.`;
    $('incidents-csv').href = base() + '/incidents.csv';
    status('');
  } catch (e) { failed(e); }
}

const tabs = ['items', 'rasch', 'dif', 'impact', 'incidents'];
// show selects a tab (WAI-ARIA tabs: only the selected tab is in the Tab
// order; the arrow keys, Home and End move between tabs).
function show(name, focus) {
  for (const t of tabs) {
    $('tab-' + t).setAttribute('aria-selected', String(t === name));
    $('tab-' + t).tabIndex = t === name ? 0 : -1;
    $('panel-' + t).hidden = t !== name;
  }
  if (focus) $('tab-' + name).focus();
  if (name === 'items') loadItems();
  if (name === 'rasch') loadRasch();
  if (name === 'incidents') loadIncidents();
}

async function start(me) {
  $('work').hidden = false;
  const sittings = await api('/api/sittings');
  $('sitting').replaceChildren(...sittings.map((s) => new Option(`${s.id}: ${s.centre}`, s.id)));
  for (const sel of [$('dif-by'), $('impact-by')]) sel.replaceChildren(...GROUPINGS.map(([v, text]) => new Option(text, v)));
  loadGroups();
  $('csv').href = base() + '/responses.csv';
  show('items');
  loadRoleplay();
}

// loadAgreement shows rater agreement at each double-marked station of
// circuit c, on the marks as the assessors submitted them.
async function loadAgreement(c) {
  const box = $('roleplay-agreement');
  box.textContent = 'Computing…';
  let stations;
  try { stations = await api(`/api/marking/circuits/${encodeURIComponent(c.id)}/agreement`); } catch (e) { box.textContent = e.message; return; }
  const h = el('h3', { text: `Rater agreement: ${c.title}` });
  const table = el('table', { id: 'agreement-table' });
  table.innerHTML = '<caption>Double-marked stations, marks as submitted</caption><thead><tr><th scope="col">Station</th>' +
    '<th scope="col">Candidates</th><th scope="col">ICC(2,1) scores</th><th scope="col">ICC(3,1) scores</th>' +
    '<th scope="col">Weighted kappa (quadratic), judgements</th><th scope="col">Severity (mean deviation)</th></tr></thead><tbody></tbody>';
  rows(table.tBodies[0], stations, (st) => {
    if (!st.scores) return [st.station, st.candidates, { text: st.problem, cls: 'flag' }, '', '', ''];
    const ci = (f) => `${fmt(f.icc)} [${fmt(f.lower)}, ${fmt(f.upper)}]`;
    const kw = st.judgements && st.judgements.weighted_kappa_quadratic !== undefined ? fmt(st.judgements.weighted_kappa_quadratic) : (st.problem || '—');
    return [st.station, st.candidates, ci(st.scores.icc.icc2), ci(st.scores.icc.icc3), kw,
      st.scores.severity.map((v) => `${v.rater} ${v.mean >= 0 ? '+' : ''}${fmt(v.mean, 2)}`).join(', ')];
  });
  [...table.tBodies[0].rows].forEach((tr, i) => { tr.dataset.station = stations[i].station; });
  box.replaceChildren(h, table);
}

// loadRoleplay lists the role-play circuits with their scores' downloads;
// the card stays hidden where no marking is served.
async function loadRoleplay() {
  let circuits;
  try { circuits = await api('/api/marking/results'); } catch { return; }
  const link = (c, shape, text) => el('a', { href: `/api/marking/circuits/${encodeURIComponent(c.id)}/results.csv?shape=${shape}`, 'data-shape': shape, text });
  rows($('roleplay-table').tBodies[0], circuits, (c) => [c.title, c.sheets, `${c.stations_settled} of ${c.stations_total}`, c.elements, '']);
  [...$('roleplay-table').tBodies[0].rows].forEach((tr, i) => {
    const c = circuits[i];
    tr.dataset.circuit = c.id;
    const b = el('button', { type: 'button', text: 'Rater agreement' });
    b.addEventListener('click', () => loadAgreement(c));
    const sheets = link(c, 'sheets', 'sheets (CSV)');
    sheets.setAttribute('aria-label', `sheets (CSV): ${c.title}`);
    const scores = link(c, 'standard-setting', 'station scores for borderline regression (CSV)');
    scores.setAttribute('aria-label', `station scores for borderline regression (CSV): ${c.title}`);
    b.setAttribute('aria-label', `Rater agreement: ${c.title}`);
    tr.cells[4].replaceChildren(sheets, ' · ', scores, ' ', b);
  });
  $('roleplay').hidden = circuits.length === 0;
}

for (const t of tabs) {
  $('tab-' + t).addEventListener('click', () => show(t));
  $('tab-' + t).addEventListener('keydown', (ev) => {
    const i = tabs.indexOf(t);
    const to = { ArrowRight: (i + 1) % tabs.length, ArrowLeft: (i + tabs.length - 1) % tabs.length, Home: 0, End: tabs.length - 1 }[ev.key];
    if (to === undefined) return;
    ev.preventDefault();
    show(tabs[to], true);
  });
}
$('sitting').addEventListener('change', () => { $('csv').href = base() + '/responses.csv'; loadGroups(); show('items'); });
$('dif-by').addEventListener('change', loadGroups);
$('run-dif').addEventListener('click', runDIF);
$('run-impact').addEventListener('click', runImpact);
api('/api/me').then(start).catch((e) => { $('status').textContent = e.message; });
