// The psychometrician's standard-setting page: no framework, no CDN. State
// is the last Angoff report and the tried cut.

import { api as call } from "./api.js";
import { $, el } from "./dom.js";
import { dateTime, zoneName } from "./times.js";

// api calls the page's own API, beside the page (/standards/api/...).
const api = (path, opts) => call("api/" + path, opts);
let report = null, applied = null;

const Z_WARN = 1.96; // |z| beyond it: the panels disagree at the 5% level, two-sided

function fmt(x, d = 3) { return x == null ? "–" : Number(x).toFixed(d); }
function pct(x) { return x == null ? "–" : (100 * x).toFixed(1) + "%"; }
function pText(p) { return p == null ? "–" : p < 0.001 ? "p < 0.001" : "p = " + p.toFixed(3); }
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
  const rounds = p.rounds.map((r) => `round ${r.round}: ${fmt(r.cut, 2)}`).join(" → ");
  const rows = [["judges", p.judges], ["cut (raw)", fmt(p.cut)], ["cut (%)", fmt(p.cut_pct, 1)], ["SE", fmt(p.se)],
    ["judges' sd", fmt(p.spread.sd)], ["range", fmt(p.spread.min, 2) + " – " + fmt(p.spread.max, 2)],
    ["rounds", p.rounds.length], ["cut after each round", rounds], ["pass rate at cut", pct(p.pass_rate)]];
  if (p.facility_correlation) rows.push(["r(ratings, facility)", fmt(p.facility_correlation.panel_mean)]);
  for (const [k, v] of rows) { const tr = el("tr", { "data-row": k }); tr.append(el("th", { scope: "row" }, k), el("td", {}, String(v))); t.append(tr); }
  const jt = el("table"); jt.append(el("tr", {}, el("th", { scope: "col" }, "judge"), el("th", { scope: "col" }, "cut")));
  for (const j of p.judge_cuts) { const tr = el("tr"); tr.append(el("td", {}, j.judge), el("td", {}, fmt(j.cut, 2))); jt.append(tr); }
  div.append(t, el("h4", {}, "Judges"), jt);
  return div;
}

// disagreement says, when the first two panels' cuts differ beyond chance,
// by how much.
function disagreement(a) {
  if (!a || a.z == null || Math.abs(a.z) <= Z_WARN) return "";
  return `The panels disagree: z = ${fmt(a.z, 2)}, ${pText(a.p)}. Their cuts differ by more than their standard errors explain; ` +
    "review the panels before reconciling them into one cut.";
}

function showReport() {
  $("panels").replaceChildren(...report.panels.map(panelCard));
  const rec = $("reconciled"); rec.className = "psy-card"; rec.replaceChildren(el("h2", {}, "Reconciled"));
  const a = report.agreement || {}, m = report.measurement || {};
  const warn = disagreement(report.agreement);
  if (warn) rec.append(el("p", { id: "disagree", class: "warning" }, warn));
  const t = el("table");
  for (const [k, v] of [["rule", report.reconciled.rule], ["cut", fmt(report.reconciled.cut)], ["SE", fmt(report.reconciled.se)],
    ["agreement z (p)", fmt(a.z) + " (" + pText(a.p) + ")"], ["Cochran's Q", fmt(a.q)],
    ["reliability", m.alpha == null ? "–" : fmt(m.alpha) + " (" + m.reliability_source + ")"], ["SEM", fmt(m.sem)],
    ["Lord's CSEM at cut", fmt(m.csem_lord)]]) {
    const tr = el("tr"); tr.append(el("th", { scope: "row" }, k), el("td", {}, String(v))); t.append(tr);
  }
  rec.append(t);
  $("summary").textContent = `Computed: reconciled cut ${fmt(report.reconciled.cut)} (${report.reconciled.rule}) from ${report.panels.length} panels.` +
    (warn ? ` Warning: the panels disagree (z = ${fmt(a.z, 2)}, ${pText(a.p)}).` : "");
  $("cut").value = report.reconciled.cut.toFixed(3);
  tryCut();
}

async function compute(ev) {
  if (ev) ev.preventDefault();
  showError(null);
  const f = $("files");
  if (f.panelA.value === f.panelB.value) {
    report = null;
    $("panels").replaceChildren(); $("reconciled").replaceChildren(); $("reconciled").className = "";
    $("summary").textContent = "";
    showError(new Error(`Panel A and Panel B are the same file (${f.panelA.value}): choose each panel's own file. Nothing was computed.`));
    return;
  }
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
    $("impact-line").textContent = `cut ${fmt(r.unrounded)} → applied ${r.applied} (${r.rounding}): pass rate ${pct(r.pass_rate)} of ${r.n}`;
    const t = el("table");
    for (const g of r.groups || []) { const tr = el("tr"); tr.append(el("td", {}, g.column + " " + g.group), el("td", {}, "n " + g.n), el("td", {}, pct(g.pass_rates[0]))); t.append(tr); }
    $("impact").replaceChildren(t);
    drawCurve();
  } catch (e) { showError(e); }
}

// The chart's plot area, in the SVG's own units.
const PLOT = { left: 56, right: 380, top: 16, bottom: 220 };

function drawCurve() {
  const svg = $("curve"), NS = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  const pts = report.impact ? report.impact.curve : [];
  if (!pts.length) return;
  const max = pts[pts.length - 1].cut || 1;
  const X = (c) => PLOT.left + (PLOT.right - PLOT.left) * c / max, Y = (p) => PLOT.bottom - (PLOT.bottom - PLOT.top) * p;
  const add = (tag, attrs, text) => { const e = document.createElementNS(NS, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v); if (text) e.textContent = text; svg.append(e); return e; };
  const line = (x1, y1, x2, y2, stroke, dash, width = 2) => add("line", { x1, y1, x2, y2, stroke, "stroke-width": width, "stroke-dasharray": dash || "none" });
  // Axes, their ticks and labels.
  line(PLOT.left, PLOT.bottom, PLOT.right, PLOT.bottom, "#555", "", 1); line(PLOT.left, PLOT.top, PLOT.left, PLOT.bottom, "#555", "", 1);
  for (const p of [0, 0.25, 0.5, 0.75, 1]) { line(PLOT.left - 4, Y(p), PLOT.left, Y(p), "#555", "", 1);
    add("text", { x: PLOT.left - 7, y: Y(p) + 4, "text-anchor": "end" }, `${100 * p}%`); }
  for (const c of [0, max / 4, max / 2, 3 * max / 4, max]) { line(X(c), PLOT.bottom, X(c), PLOT.bottom + 4, "#555", "", 1);
    add("text", { x: X(c), y: PLOT.bottom + 17, "text-anchor": "middle" }, String(Math.round(c))); }
  add("text", { x: (PLOT.left + PLOT.right) / 2, y: 262, "text-anchor": "middle", class: "axis-label" }, "Cut score (raw)");
  add("text", { x: 14, y: (PLOT.top + PLOT.bottom) / 2, "text-anchor": "middle", transform: `rotate(-90 14 ${(PLOT.top + PLOT.bottom) / 2})`, class: "axis-label" }, "Pass rate");
  add("polyline", { points: pts.map((p) => X(p.cut) + "," + Y(p.pass_rate)).join(" "), fill: "none", stroke: "#222", "stroke-width": 2 });
  // Each line drawn differently (colour and dash), and named in the legend.
  const keys = [{ name: "Pass rate", stroke: "#222", dash: "" }];
  const styles = [{ stroke: "#1f5fa8", dash: "6 3" }, { stroke: "#b35900", dash: "2 3" }];
  report.panels.forEach((p, i) => { const s = styles[i % 2]; line(X(p.cut), PLOT.top, X(p.cut), PLOT.bottom, s.stroke, s.dash);
    keys.push({ name: `${p.panel} cut ${fmt(p.cut, 2)}`, ...s }); });
  if (applied) { line(X(applied.applied), PLOT.top, X(applied.applied), PLOT.bottom, "#c0262d", "");
    keys.push({ name: `Applied cut ${applied.applied}`, stroke: "#c0262d", dash: "" }); }
  const legend = add("g", { class: "legend", "aria-hidden": "true" });
  keys.forEach((k, i) => { const y = PLOT.top + 10 + 22 * i;
    const l = document.createElementNS(NS, "line");
    for (const [a, v] of Object.entries({ x1: 396, y1: y, x2: 424, y2: y, stroke: k.stroke, "stroke-width": 2, "stroke-dasharray": k.dash || "none" })) l.setAttribute(a, v);
    const t = document.createElementNS(NS, "text"); t.setAttribute("x", 430); t.setAttribute("y", y + 4); t.textContent = k.name;
    legend.append(l, t); });
  $("curve-caption").textContent = "Pass rate (vertical axis, 0 to 100%) by cut score (horizontal axis, raw score 0 to " + Math.round(max) + "). Lines: " +
    keys.map((k) => k.name).join("; ") + ".";
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

// listDecisions lists the recorded decisions, oldest first, with the latest
// of each element marked as the one that stands.
async function listDecisions() {
  const { decisions } = await api("decisions");
  const latest = new Map();
  decisions.forEach((d, i) => latest.set(d.element, i));
  $("decisions").replaceChildren(...decisions.map((d, i) => {
    const current = latest.get(d.element) === i;
    const li = el("li", { "data-current": String(current) },
      el("time", { datetime: d.at }, `${dateTime(d.at)} (${zoneName()})`),
      ` ${d.who}: ${d.element} cut ${d.cut} (${d.method}, k ${d.k})${d.note ? " – " + d.note : ""}`);
    if (current) li.append(el("span", { class: "tag-current" }, "current"));
    else li.append(" (superseded)");
    return li;
  }));
}

$("files").addEventListener("submit", compute);
$("k").addEventListener("input", tryCut);
$("cut").addEventListener("input", tryCut);
$("decision").addEventListener("submit", record);
loadFiles().then(listDecisions).catch(showError);
