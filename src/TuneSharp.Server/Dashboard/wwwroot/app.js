// TuneSharp dashboard front end: plain DOM + uPlot, no build step. Every URL is relative to the page, so the same
// files work standalone (/) and mounted by `serve --dashboard` (/dashboard/).
"use strict";

function el(tag, text, cls) { const e = document.createElement(tag); if (text != null) e.textContent = text; if (cls) e.className = cls; return e; }
async function getJson(url) { const r = await fetch(url); if (!r.ok) throw new Error((await r.json()).error || r.status); return r.json(); }
function fmt(x) { return x == null ? "" : (Math.abs(x) >= 100 ? x.toFixed(0) : x.toPrecision(3)); }
function duration(s) { if (s == null) return ""; return s >= 3600 ? (s / 3600).toFixed(1) + " h" : s >= 60 ? (s / 60).toFixed(1) + " min" : s.toFixed(0) + " s"; }
function runLink(name, status) { const a = el("a", name); a.href = (status === "study" ? "study?name=" : "run?name=") + encodeURIComponent(name); return a; }
async function postJson(url, body) {
  const r = await fetch(url, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  const json = await r.json(); if (!r.ok) throw new Error(json.error || r.status); return json;
}
function row(table, cells, cls) {
  const tr = el("tr"); if (cls) tr.className = cls;
  for (const c of cells) { const td = el("td"); if (c instanceof Node) td.append(c); else td.textContent = c ?? ""; tr.append(td); }
  table.querySelector("tbody").append(tr); return tr;
}

async function runsPage() {
  const runs = await getJson("api/runs");
  const body = document.querySelector("#runs tbody");
  const picked = new Set();
  const button = document.getElementById("compare");
  for (const r of runs) {
    const tr = el("tr"); tr.dataset.run = r.name;
    const box = el("input"); box.type = "checkbox";
    box.onchange = () => { box.checked ? picked.add(r.name) : picked.delete(r.name); button.disabled = picked.size < 2; };
    const cells = [box, runLink(r.name, r.status), el("span", r.status + (r.broken_reason ? ": " + r.broken_reason : ""), "status-" + r.status),
      r.model, r.task, r.method, r.best_metric_name ? r.best_metric_name + " " + fmt(r.best_metric) : "", duration(r.duration_s)];
    for (const c of cells) { const td = el("td"); if (c instanceof Node) td.append(c); else td.textContent = c ?? ""; tr.append(td); }
    body.append(tr);
  }
  button.onclick = () => { location.href = "compare?runs=" + [...picked].map(encodeURIComponent).join(","); };
}

// A uPlot line chart of one or more series over steps; points are appended live.
function lineChart(target, names, pointsOnly) {
  const width = target.classList.contains("wide") ? 900 : 380;
  const tick = (u, vals) => vals.map(v => v == null ? "" : v !== 0 && Math.abs(v) < 0.01 ? v.toExponential(1) : +v.toPrecision(3));
  const color = (i) => ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"][i % 5];
  const series = [{ label: "step" }].concat(names.map((n, i) => pointsOnly && i === 0
    ? { label: n, stroke: color(i), paths: () => null, points: { show: true, size: 7 } }
    : { label: n, stroke: color(i), spanGaps: true }));
  const data = [[]].concat(names.map(() => []));
  const plot = new uPlot({ width, height: 200, series, scales: { x: { time: false } }, axes: [{}, { values: tick, size: 60 }] }, data, target);
  return {
    names, data,
    add(step, values) { data[0].push(step); names.forEach((n, i) => data[i + 1].push(values[n] ?? null)); plot.setData(data); },
  };
}

async function runPage() {
  const name = new URLSearchParams(location.search).get("name");
  document.getElementById("title").textContent = name;
  const detail = await getJson("api/runs/" + encodeURIComponent(name));
  const s = detail.summary;
  document.getElementById("summary").textContent = [s.status + (s.broken_reason ? " (" + s.broken_reason + ")" : ""), s.model, s.task, s.method,
    s.best_metric_name ? "best " + s.best_metric_name + " " + fmt(s.best_metric) : null, duration(s.duration_s)].filter(Boolean).join(" · ");
  if (detail.report) document.getElementById("report").textContent = detail.report;
  if (detail.card) document.getElementById("card").textContent = detail.card;
  document.getElementById("config").textContent = detail.config ?? "(no config.yaml)";
  const loss = lineChart(document.getElementById("chart-loss"), ["train loss", "validation loss"]);
  const lr = lineChart(document.getElementById("chart-lr"), ["lr"]);
  let metrics = null; let points = 0;
  const counter = document.getElementById("points");
  const events = new EventSource("api/runs/" + encodeURIComponent(name) + "/metrics/stream");
  events.onmessage = (m) => {
    const e = JSON.parse(m.data); if (e.step == null) return;
    if (e.split === "train") {
      if (e.loss != null) { loss.add(e.step, { "train loss": e.loss }); points++; }
      if (e.lr != null) lr.add(e.step, { lr: e.lr });
    } else if (e.split === "validation") {
      if (e.loss != null) { loss.add(e.step, { "validation loss": e.loss }); points++; }
      const keys = Object.keys(e).filter(k => !["split", "step", "epoch", "loss"].includes(k) && typeof e[k] === "number");
      if (!metrics && keys.length) metrics = lineChart(document.getElementById("chart-metrics"), keys.slice(0, 5));
      if (metrics) { metrics.add(e.step, e); points++; }
    }
    counter.textContent = points; counter.dataset.points = points;
  };
}

async function comparePage() {
  const runs = new URLSearchParams(location.search).get("runs");
  const c = await getJson("api/compare?runs=" + encodeURIComponent(runs));
  const names = c.runs.map(r => r.name);
  const head = (table, cols) => { const tr = el("tr"); cols.forEach(x => tr.append(el("th", x))); table.querySelector("thead").append(tr); };
  const row = (table, cells) => { const tr = el("tr"); cells.forEach(x => tr.append(el("td", x))); table.querySelector("tbody").append(tr); };
  const diff = document.getElementById("diff");
  head(diff, ["key"].concat(names));
  for (const [k, v] of Object.entries(c.diff)) row(diff, [k].concat(v));
  const results = document.getElementById("results");
  head(results, ["metric (test, else validation)"].concat(names));
  const metricNames = [...new Set(c.results.flatMap(r => r ? Object.keys(r) : []))].filter(m => !m.includes("/"));
  for (const m of metricNames)
    row(results, [m].concat(c.results.map(r => { const v = r && r[m]; return v ? fmt(v.test ?? v.validation) : ""; })));
  // Overlaid training loss: one series per run, aligned on the step.
  const byRun = await Promise.all(names.map(async n => (await fetchMetrics(n)).filter(e => e.split === "train" && e.loss != null)));
  const steps = [...new Set(byRun.flatMap(r => r.map(e => e.step)))].sort((a, b) => a - b);
  const chart = lineChart(document.getElementById("chart-compare"), names);
  for (const step of steps) {
    const values = {}; names.forEach((n, i) => { const e = byRun[i].find(x => x.step === step); if (e) values[n] = e.loss; });
    chart.add(step, values);
  }
}

async function fetchMetrics(name) {
  const r = await fetch("api/runs/" + encodeURIComponent(name) + "/files/metrics.jsonl");
  if (!r.ok) return [];
  return (await r.text()).split("\n").filter(l => l.trim()).flatMap(l => { try { return [JSON.parse(l)]; } catch { return []; } });
}

async function playgroundPage() {
  modelBoxes();
  const config = await getJson("api/config");
  if (!config.chat) { document.getElementById("chat-off").hidden = false; document.getElementById("chat").hidden = true; return; }
  const models = await (await fetch("../v1/models")).json();
  const model = models.data[0].id;
  const history = [];
  const box = document.getElementById("messages");
  document.getElementById("chat-form").onsubmit = async (ev) => {
    ev.preventDefault();
    const input = document.getElementById("chat-input");
    history.push({ role: "user", content: input.value });
    box.append(el("div", "you: " + input.value, "msg-user")); input.value = "";
    const answer = el("div", "", "msg-assistant"); box.append(answer);
    // Streamed: OpenAI-style server-sent events from the served /v1/chat/completions, appended as they arrive.
    const r = await fetch("../v1/chat/completions", { method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ model, messages: history, stream: true, max_tokens: 24 }) });
    if (!r.ok) { answer.textContent = "error: " + (await r.text()); return; }
    const reader = r.body.getReader(); const decoder = new TextDecoder(); let buffer = ""; let text = "";
    for (;;) {
      const { value, done } = await reader.read(); if (done) break;
      buffer += decoder.decode(value, { stream: true });
      let i;
      while ((i = buffer.indexOf("\n\n")) >= 0) {
        const line = buffer.slice(0, i).trim(); buffer = buffer.slice(i + 2);
        if (!line.startsWith("data:") || line === "data: [DONE]") continue;
        const delta = JSON.parse(line.slice(5)).choices[0]?.delta?.content;
        if (delta) { text += delta; answer.textContent = text; answer.dataset.chunks = (+answer.dataset.chunks || 0) + 1; }
      }
    }
    answer.dataset.done = "1";
    history.push({ role: "assistant", content: text });
  };
}

// A study: objective value per trial (points) with the best so far (line); each trial's intermediate values.
async function studyPage() {
  const name = new URLSearchParams(location.search).get("name");
  document.getElementById("title").textContent = name;
  const detail = await getJson("api/studies/" + encodeURIComponent(name));
  const study = detail.studies[0];
  if (!study) { document.getElementById("summary").textContent = "no study stored in this folder yet"; return; }
  const c = study.counts;
  document.getElementById("summary").textContent = [study.name, study.direction + " " + (study.metric ?? "value"),
    `${study.trials.length}${study.budget ? " of " + study.budget : ""} trials: ${c.complete} complete, ${c.pruned} pruned, ${c.fail} failed, ${c.running} running`,
    study.best_trial != null ? `best #${study.best_trial}: ${fmt(study.best_value)}` : null].filter(Boolean).join(" · ");
  const history = lineChart(document.getElementById("chart-history"), ["value", "best so far"], true);
  let best = null;
  const better = (a, b) => b == null || (study.direction === "maximize" ? a > b : a < b);
  for (const t of study.trials) {
    if (t.state === "complete" && t.value != null && better(t.value, best)) best = t.value;
    history.add(t.number, { value: t.state === "complete" ? t.value : null, "best so far": best });
  }
  const withSteps = study.trials.filter(t => t.intermediate.length).slice(0, 5);
  if (withSteps.length) {
    const names = withSteps.map(t => "#" + t.number + (t.state === "pruned" ? " (pruned)" : ""));
    const chart = lineChart(document.getElementById("chart-intermediate"), names);
    const steps = [...new Set(withSteps.flatMap(t => t.intermediate.map(p => p[0])))].sort((a, b) => a - b);
    for (const step of steps) {
      const values = {}; withSteps.forEach((t, i) => { const p = t.intermediate.find(x => x[0] === step); if (p) values[names[i]] = p[1]; });
      chart.add(step, values);
    }
  }
  const table = document.getElementById("trials");
  for (const t of study.trials) {
    const params = t.params ? Object.entries(t.params).map(([k, v]) => k + "=" + v).join(", ") : "";
    const tr = row(table, [t.number, el("span", t.state + (t.error ? ": " + t.error : ""), "state-" + t.state), fmt(t.value), params,
      t.intermediate.length, duration(t.duration_s)], t.number === study.best_trial ? "best" : null);
    tr.dataset.state = t.state;
  }
  if (detail.best_recipe) document.getElementById("best").textContent = detail.best_recipe;
  if (detail.report) document.getElementById("report").textContent = detail.report;
}

// A data file: the validation summary and problems, then the audit's likely label errors, a page at a time.
async function dataPage() {
  const listing = await getJson("api/data/files");
  if (!listing.folder) { document.getElementById("data-off").hidden = false; document.getElementById("data-form").hidden = true; return; }
  const select = document.getElementById("data-file");
  for (const f of listing.files) { const o = el("option", f); o.value = f; select.append(o); }
  const pageSize = 10; let offset = 0;
  const query = () => "file=" + encodeURIComponent(select.value) + "&text_field=" + encodeURIComponent(document.getElementById("text-field").value)
    + "&label_field=" + encodeURIComponent(document.getElementById("label-field").value);
  const clear = (id) => document.querySelector("#" + id + " tbody").replaceChildren();
  async function audit() {
    const summary = document.getElementById("audit-summary"); clear("flags");
    summary.textContent = "auditing (out-of-fold classifier)…";
    try {
      const a = await getJson("api/data/audit?" + query() + "&offset=" + offset + "&limit=" + pageSize);
      summary.textContent = `${a.flagged} likely label errors in ${a.examples} rows, ${a.classes} classes · out-of-fold accuracy ${fmt(a.out_of_fold_accuracy)} (${a.classifier})`;
      summary.dataset.flagged = a.flagged;
      for (const f of a.flags) row(document.getElementById("flags"), [f.rank, f.line, f.given_label, f.suggested_label, fmt(f.self_confidence), f.text]);
      document.getElementById("page").textContent = a.flagged ? `${offset + 1}–${offset + a.flags.length} of ${a.flagged}` : "";
      document.getElementById("prev").disabled = offset === 0;
      document.getElementById("next").disabled = offset + pageSize >= a.flagged;
    } catch (e) { summary.textContent = "audit: " + e.message; summary.className = "status-broken"; }
  }
  document.getElementById("prev").onclick = () => { offset = Math.max(0, offset - pageSize); audit(); };
  document.getElementById("next").onclick = () => { offset += pageSize; audit(); };
  document.getElementById("data-form").onsubmit = async (ev) => {
    ev.preventDefault(); offset = 0; clear("problems");
    const summary = document.getElementById("validation-summary");
    try {
      const v = await getJson("api/data/validate?" + query());
      const labels = Object.entries(v.label_distribution).map(([k, n]) => k + " " + n).join(", ");
      summary.textContent = `${v.valid ? "valid" : "invalid"}: ${v.errors} errors, ${v.warnings} warnings, ${v.duplicates} duplicates · `
        + `${v.files.map(f => f.records + " records (" + f.shape + ")").join(", ")} · length mean ${v.lengths.mean}, p95 ${v.lengths.p95}, max ${v.lengths.max}`
        + (labels ? " · labels: " + labels : "");
      summary.className = v.valid ? "" : "status-broken"; summary.dataset.valid = v.valid;
      for (const p of v.problems.slice(0, 100)) row(document.getElementById("problems"), [p.severity, p.line, p.code, p.message]);
    } catch (e) { summary.textContent = "validation: " + e.message; summary.className = "status-broken"; }
    await audit();
  };
}

// The classify and embed boxes: a run's model on one text.
async function modelBoxes() {
  const models = await getJson("api/playground/models");
  const select = document.getElementById("model-run");
  if (!models.length) { document.getElementById("models-off").hidden = false; document.getElementById("model-form").hidden = true; return; }
  for (const m of models) { const o = el("option", m.run + " (" + m.uses.join(", ") + ")"); o.value = m.run; select.append(o); }
  const files = await getJson("api/data/files");
  const fileSelect = document.getElementById("sample-file");
  for (const f of files.files) { const o = el("option", "the first 200 texts of " + f); o.value = f; fileSelect.append(o); }
  const error = document.getElementById("model-error");
  const text = () => document.getElementById("model-text").value;
  document.getElementById("classify").onclick = async () => {
    error.textContent = ""; document.querySelector("#probs tbody").replaceChildren();
    try {
      const r = await postJson("api/playground/classify", { run: select.value, text: text() });
      for (const [label, p] of Object.entries(r.probs)) row(document.getElementById("probs"), [label, fmt(p)], label === r.label ? "best" : null);
      document.getElementById("probs").dataset.label = r.label;
    } catch (e) { error.textContent = e.message; }
  };
  document.getElementById("embed").onclick = async () => {
    error.textContent = ""; document.querySelector("#neighbours tbody").replaceChildren();
    const lines = document.getElementById("sample-texts").value.split("\n").map(l => l.trim()).filter(Boolean);
    const body = { run: select.value, text: text(), k: 5 };
    if (fileSelect.value) body.file = fileSelect.value; else body.sample = lines;
    try {
      const r = await postJson("api/playground/embed", body);
      for (const n of r.neighbours) row(document.getElementById("neighbours"), [fmt(n.score), n.text]);
      document.getElementById("neighbours").dataset.dimension = r.dimension;
    } catch (e) { error.textContent = e.message; }
  };
}
