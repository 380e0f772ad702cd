// The psychometrician's page: no framework, no CDN. State is the last
// Angoff report and the tried cut.

import { api as call } from "./api.js";
import { $, el } from "./dom.js";

// api calls the page's own API, beside the page (/standards/api/...).
const api = (path, opts) => call("api/" + path, opts);
let report = null, applied = null;

function fmt(x, d = 3) { return x == null ? "–" : Number(x).toFixed(d); }
function pct(x) { return x == null ? "–" : (100 * x).toFixed(1) + "%"; }
function showError(e) { $("error").textContent = e ? e.message : ""; }

async function loadFiles() {
  const { files } = await api("files");
  const form = $("files");
  for (const name of ["panelA", "panelB", "scores", "responses"]) {
    for (const f of files) form[name].append(new Option(f, f));
  }
  const guess = (sel, word) => { const f = files.find((x) => x.toLowerCase().includes(word)); if (f) sel.value = f; };
  guess(form.panelA, "panela"); guess(form.panelB, "panelb"); guess(form.scores, "score"); guess(form.responses, "respon");
  if (form.panelA.value && form.panelB.value && form.scores.value && form.panelA.value !== form.panelB.value) compute();
}

function panelCard(p) {
  const div = el("div", { class: "panel" });
  div.append(el("h3", {}, p.panel));
  const t = el("table");
  const rows = [["judges", p.judges], ["cut (raw)", fmt(p.cut)], ["cut (%)", fmt(p.cut_pct, 1)], ["SE", fmt(p.se)],
    ["judges' sd", fmt(p.spread.sd)], ["range", fmt(p.spread.min, 2) + " – " + fmt(p.spread.max, 2)],
    ["rounds", p.rounds.map((r) => fmt(r.cut, 2)).join(" → ")], ["pass rate at cut", pct(p.pass_rate)]];
  if (p.facility_correlation) rows.push(["r(ratings, facility)", fmt(p.facility_correlation.panel_mean)]);
  for (const [k, v] of rows) { const tr = el("tr"); tr.append(el("th", {}, k), el("td", {}, String(v))); t.append(tr); }
  const jt = el("table"); jt.append(el("tr", {}, el("th", {}, "judge"), el("th", {}, "cut")));
  for (const j of p.judge_cuts) { const tr = el("tr"); tr.append(el("td", {}, j.judge), el("td", {}, fmt(j.cut, 2))); jt.append(tr); }
  div.append(t, el("h4", {}, "Judges"), jt);
  return div;
}

function showReport() {
  const panels = $("panels"); panels.replaceChildren(...report.panels.map(panelCard));
  const rec = $("reconciled"); rec.replaceChildren(el("h2", {}, "Reconciled"));
  const t = el("table");
  const a = report.agreement || {}, m = report.measurement || {};
  for (const [k, v] of [["rule", report.reconciled.rule], ["cut", fmt(report.reconciled.cut)], ["SE", fmt(report.reconciled.se)],
    ["agreement z (p)", fmt(a.z) + " (" + fmt(a.p) + ")"], ["Cochran's Q", fmt(a.q)],
    ["reliability", m.alpha == null ? "–" : fmt(m.alpha) + " (" + m.reliability_source + ")"], ["SEM", fmt(m.sem)],
    ["Lord's CSEM at cut", fmt(m.csem_lord)]]) {
    const tr = el("tr"); tr.append(el("th", {}, k), el("td", {}, String(v))); t.append(tr);
  }
  rec.append(t);
  $("cut").value = report.reconciled.cut.toFixed(3);
  tryCut();
}

async function compute(ev) {
  if (ev) ev.preventDefault();
  showError(null);
  const f = $("files");
  const q = new URLSearchParams();
  q.append("panel", f.panelA.value); q.append("panel", f.panelB.value);
  q.set("scores", f.scores.value); q.set("rule", f.rule.value);
  if (f.responses.value) q.set("responses", f.responses.value);
  try { report = await api("angoff?" + q); showReport(); } catch (e) { showError(e); }
}

async function tryCut() {
  if (!report) return;
  const f = $("files");
  const k = Number($("k").value || 0);
  const cut = Number($("cut").value || report.reconciled.cut);
  const sem = report.measurement ? report.measurement.sem : 0;
  const q = new URLSearchParams({ scores: f.scores.value, cut, k, sem });
  try {
    const r = await api("impact?" + q);
    applied = r;
    const box = $("impact");
    box.replaceChildren(el("div", {}, `cut ${fmt(r.unrounded)} → applied ${r.applied} (${r.rounding}): pass rate ${pct(r.pass_rate)} of ${r.n}`));
    const t = el("table");
    for (const g of r.groups || []) { const tr = el("tr"); tr.append(el("td", {}, g.column + " " + g.group), el("td", {}, "n " + g.n), el("td", {}, pct(g.pass_rates[0]))); t.append(tr); }
    box.append(t);
    drawCurve();
  } catch (e) { showError(e); }
}

function drawCurve() {
  const svg = $("curve"), NS = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const pts = report.impact ? report.impact.curve : [];
  if (!pts.length) return;
  const max = pts[pts.length - 1].cut || 1, X = (c) => 30 + 380 * c / max, Y = (p) => 200 - 180 * p;
  const line = (x1, y1, x2, y2, color, dash) => { const l = document.createElementNS(NS, "line");
    Object.entries({ x1, y1, x2, y2, stroke: color, "stroke-dasharray": dash || "" }).forEach(([k, v]) => l.setAttribute(k, v)); svg.append(l); };
  line(30, 200, 410, 200, "#999"); line(30, 20, 30, 200, "#999");
  const path = document.createElementNS(NS, "polyline");
  path.setAttribute("points", pts.map((p) => X(p.cut) + "," + Y(p.pass_rate)).join(" "));
  path.setAttribute("fill", "none"); path.setAttribute("stroke", "#222"); svg.append(path);
  const colours = ["#1f77b4", "#ff7f0e", "#2ca02c"];
  report.panels.forEach((p, i) => line(X(p.cut), 20, X(p.cut), 200, colours[i % 3], "4 2"));
  if (applied) line(X(applied.applied), 20, X(applied.applied), 200, "#d62728");
}

async function record(ev) {
  ev.preventDefault();
  if (!applied) return;
  const f = ev.target, files = $("files");
  const body = { element: f.element.value, method: "angoff", panels: [files.panelA.value, files.panelB.value],
    k: Number($("k").value || 0), cut: applied.applied, note: f.note.value };
  try { await api("decision", { body }); listDecisions(); }
  catch (e) { showError(e); }
}

async function listDecisions() {
  const { decisions } = await api("decisions");
  $("decisions").replaceChildren(...decisions.map((d) =>
    el("li", {}, `${d.at} ${d.who}: ${d.element} cut ${d.cut} (${d.method}, k ${d.k})${d.note ? " – " + d.note : ""}`)));
}

$("files").addEventListener("submit", compute);
$("k").addEventListener("input", tryCut);
$("cut").addEventListener("input", tryCut);
$("decision").addEventListener("submit", record);
loadFiles().then(listDecisions).catch(showError);
