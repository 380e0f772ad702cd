// The workforce-impact page: the report of scoring/impact, as the server
// builds it from the decisions (GET /api/results/impact). Each rate is
// drawn as a bar with its 95% Wilson interval, in inline SVG; every chart
// has its table beside it. A suppressed cell shows no number: only that
// it holds fewer than the minimum count, or is hidden to protect such a
// cell. The adverse-impact tables flag groups under four-fifths of the
// reference group's met rate.

import { api } from './api.js';
import { $, el } from './dom.js';
import { dateTime } from './results-words.js';

const NS = 'http://www.w3.org/2000/svg';

// svg makes an SVG element with attributes and children.
function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  for (const c of children) if (c !== null && c !== undefined) e.append(c);
  return e;
}

const pct = (x) => `${(100 * x).toFixed(1)}%`;
const CHARTS = [
  ['employer', 'Met rate by employer'],
  ['phase', 'Met rate by rollout phase'],
  ['cohort', 'Met rate by sitting window'],
];
const FIELDS = { age_band: 'Age band', sex: 'Sex', ethnic_group: 'Ethnic group', disability: 'Disability' };

let min = 10;
const hidden = () => `fewer than ${min}, or hidden to protect such a cell`;
const label = (k) => k === '' ? '(not stated)' : k;

// chart draws one table's cells as bars with interval whiskers, a line
// at 85% marking the 15% of people not meeting the standard directors
// warned of.
function chart(id, title, cells) {
  const rowH = 30; const left = 190; const plot = 380; const top = 26;
  const h = top + rowH * cells.length + 14;
  const x = (r) => left + plot * r;
  const g = svg('svg', { viewBox: `0 0 ${left + plot + 150} ${h}`, class: 'impact-chart', role: 'img', 'aria-labelledby': `${id}-title` },
    svg('title', {}, title));
  for (const t of [0, 0.25, 0.5, 0.75, 1]) {
    g.append(svg('line', { x1: x(t), x2: x(t), y1: top - 6, y2: h - 8, class: 'tick' }),
      svg('text', { x: x(t), y: 14, 'text-anchor': 'middle', class: 'axis' }, `${100 * t}%`));
  }
  g.append(svg('line', { x1: x(0.85), x2: x(0.85), y1: top - 6, y2: h - 8, class: 'ref' }),
    svg('text', { x: x(0.85), y: h - 1, 'text-anchor': 'middle', class: 'axis ref-label' }, '85%'));
  cells.forEach((c, i) => {
    const y = top + i * rowH;
    const row = svg('g', { class: c.suppressed ? 'cell suppressed' : 'cell', 'data-key': c.keys[0] },
      svg('text', { x: left - 8, y: y + 18, 'text-anchor': 'end', class: 'label' }, label(c.keys[0])));
    if (c.suppressed) {
      row.append(svg('title', {}, `${label(c.keys[0])}: suppressed (${hidden()})`),
        svg('rect', { x: left + 2, y: y + 4, width: plot + 140, height: rowH - 8, class: 'note-bg' }),
        svg('text', { x: left + 6, y: y + 18, class: 'note' }, `suppressed: ${hidden()}`));
    } else {
      row.append(svg('title', {}, `${label(c.keys[0])}: ${c.passed} of ${c.n} met, ${pct(c.rate)} (95% interval ${pct(c.ci_low)} to ${pct(c.ci_high)})`),
        svg('rect', { x: left, y: y + 6, width: Math.max(plot * c.rate, 1), height: rowH - 12, class: 'bar' }),
        svg('line', { x1: x(c.ci_low), x2: x(c.ci_high), y1: y + 15, y2: y + 15, class: 'ci' }),
        svg('line', { x1: x(c.ci_low), x2: x(c.ci_low), y1: y + 9, y2: y + 21, class: 'ci' }),
        svg('line', { x1: x(c.ci_high), x2: x(c.ci_high), y1: y + 9, y2: y + 21, class: 'ci' }),
        svg('text', { x: left + plot + 10, y: y + 18, class: 'value' }, `${pct(c.rate)} (${c.passed}/${c.n})`));
    }
    g.append(row);
  });
  return g;
}

function cellTable(cells, head) {
  return el('table', { class: 'impact-table' },
    el('thead', {}, el('tr', {}, ...[head, 'Decided', 'Met', 'Met rate', '95% interval'].map((t) => el('th', { scope: 'col', text: t })))),
    el('tbody', {}, ...cells.map((c) => c.suppressed
      ? el('tr', { 'data-key': c.keys[0], class: 'suppressed' }, el('td', { text: label(c.keys[0]) }),
        el('td', { colspan: '4', class: 'note', text: `suppressed: ${hidden()}` }))
      : el('tr', { 'data-key': c.keys[0] }, el('td', { text: label(c.keys[0]) }), el('td', { text: String(c.n) }),
        el('td', { text: String(c.passed) }), el('td', { text: pct(c.rate) }), el('td', { text: `${pct(c.ci_low)} to ${pct(c.ci_high)}` })))));
}

function adverse(f) {
  const rows = f.groups.map((g) => {
    const cells = [el('th', { scope: 'row', text: label(g.group) + (g.group === f.reference ? ' (reference)' : '') })];
    if (g.suppressed) {
      cells.push(el('td', { colspan: '6', class: 'note', text: `suppressed: ${hidden()}` }));
    } else {
      cells.push(el('td', { text: String(g.n) }), el('td', { text: String(g.passed) }),
        el('td', { text: `${pct(g.rate)} (${pct(g.ci_low)} to ${pct(g.ci_high)})` }),
        el('td', { text: g.impact_ratio == null ? '' : g.impact_ratio.toFixed(2) }),
        g.four_fifths ? el('td', { class: 'flag four-fifths', text: 'Below four-fifths' }) : el('td', { text: '' }),
        el('td', { text: g.fisher_p == null ? '' : g.fisher_p.toPrecision(3) }));
    }
    return el('tr', { 'data-group': g.group, class: g.four_fifths ? 'flagged' : '' }, ...cells);
  });
  return el('table', { class: 'impact-table adverse', id: `adverse-${f.field}` },
    el('caption', { text: `${FIELDS[f.field] || f.field}${f.reference ? `: compared with ${label(f.reference)}` : ''}${f.note ? ` (${f.note})` : ''}` }),
    el('thead', {}, el('tr', {}, ...['Group', 'Decided', 'Met', 'Met rate (95% interval)', 'Impact ratio', 'Four-fifths rule', "Fisher's exact p"]
      .map((t) => el('th', { scope: 'col', text: t })))),
    el('tbody', {}, ...rows));
}

function show(rep) {
  const o = rep.overall;
  $('overall').replaceChildren(el('h2', { text: 'Overall' }), el('p', { id: 'overall-rate', text: o.suppressed
    ? `Overall: suppressed (${hidden()}).`
    : `${o.passed} of ${o.n} people decided met the standard: ${pct(o.rate)} (95% interval ${pct(o.ci_low)} to ${pct(o.ci_high)}). The line at 85% marks 15% not meeting it.` }));
  const charts = [];
  for (const [dim, title] of CHARTS) {
    const t = rep.tables.find((x) => x.name === dim);
    if (!t) continue;
    const id = `chart-${dim}`;
    charts.push(el('figure', { id, class: 'impact-figure' }, el('figcaption', { id: `${id}-title`, text: title }),
      chart(id, title, t.cells), cellTable(t.cells, title.replace('Met rate by ', ''))));
  }
  $('charts').replaceChildren(...charts);
  $('adverse').replaceChildren(el('h2', { text: 'Adverse impact' }),
    el('p', { text: 'Each group\'s met rate over the reference group\'s (the impact ratio); under 0.8 breaks the four-fifths rule. Fisher\'s exact test compares each group with the reference.' }),
    ...rep.impact.map(adverse));
}

async function load() {
  $('message').textContent = '';
  $('csv').href = `/api/results/impact.csv?min=${min}`;
  try {
    const rep = await api(`/api/results/impact?min=${min}`);
    if (rep.empty) {
      $('status').textContent = rep.message;
      return;
    }
    show(rep);
    $('status').textContent = `Shown with at least ${min} to a count; built ${dateTime(rep.built)}, and built again at most a minute after.`;
  } catch (e) {
    $('message').textContent = e.message;
  }
}

$('options').addEventListener('submit', (ev) => {
  ev.preventDefault();
  min = Math.max(10, Number($('min').value) || 10);
  load();
});
load();
