// piimask UI: no framework, no CDN. Text is only sent to this server's API and
// rendered with textContent (never innerHTML).
"use strict";

(function () {
  const $ = (id) => document.getElementById(id);
  const state = { file: null, methods: [], classes: [], ops: {}, policy: null };

  function headers(extra) {
    const h = Object.assign({}, extra || {});
    const key = $("apikey").value.trim();
    if (key) h["Authorization"] = "Bearer " + key;
    return h;
  }

  function setStatus(msg, isError) {
    const s = $("status");
    s.textContent = msg;
    s.classList.toggle("error", !!isError);
  }

  // colour class for a label: a stable hash into 12 colours.
  function colour(label) {
    let h = 0;
    for (const ch of label) h = (h * 31 + ch.codePointAt(0)) >>> 0;
    return "c" + (h % 12);
  }

  function option(value, text) {
    const o = document.createElement("option");
    o.value = value;
    o.textContent = text;
    return o;
  }

  async function loadMethods() {
    let res;
    try {
      res = await fetch("v1/methods", { headers: headers() });
    } catch (e) {
      setStatus("The server cannot be reached.", true);
      return;
    }
    if (res.status === 401) {
      setStatus("This server requires an API key: open “API key”, enter it, then press Mask.", true);
      $("apikey").closest("details").open = true;
      return;
    }
    const body = await res.json();
    if (!res.ok) { setStatus(body.message || "Cannot load the methods.", true); return; }
    state.methods = body.methods;
    state.classes = body.classes;
    const a = $("method-a"), b = $("method-b"), op = $("operator");
    a.replaceChildren();
    b.replaceChildren(option("", "— none —"));
    for (const m of body.methods) {
      a.append(option(m.name, m.name + " (" + m.type + ")"));
      b.append(option(m.name, m.name + " (" + m.type + ")"));
    }
    op.replaceChildren();
    for (const o of body.operators) op.append(option(o, o));
    const pol = body.policy || { operator: "placeholder", overridable: [] };
    state.policy = pol;
    if (body.operators.includes(pol.operator)) op.value = pol.operator;
    const opType = $("op-type"), opClass = $("op-class"), excl = $("exclude");
    opType.replaceChildren();
    for (const o of body.operators) opType.append(option(o, o));
    opClass.replaceChildren();
    excl.replaceChildren();
    for (const c of body.classes) { opClass.append(option(c, c)); excl.append(option(c, c)); }
    state.ops = {};
    renderOps();
    // Only what the server lets a request override is offered.
    $("per-class").hidden = !pol.overridable.includes("operators");
    $("exclude-row").hidden = !pol.overridable.includes("exclude");
    op.disabled = !pol.overridable.includes("operator");
    keepLastShown();
    const list = $("class-list");
    list.replaceChildren();
    for (const c of body.classes) {
      const l = document.createElement("label");
      const cb = document.createElement("input");
      cb.type = "checkbox"; cb.name = "class"; cb.value = c; cb.checked = true;
      l.append(cb, document.createTextNode(c));
      l.dataset.cls = c;
      list.append(l);
    }
    if (!body.limits.pdf) $("file").setAttribute("accept", ".txt,.md,.csv,text/plain");
    setStatus("Ready: " + body.methods.length + " method(s).");
  }

  function keepLastShown() {
    $("keep-last-row").hidden = $("operator").value !== "mask" && !Object.values(state.ops).includes("mask");
  }

  function renderOps() {
    const list = $("op-list");
    list.replaceChildren();
    for (const [cls, type] of Object.entries(state.ops).sort()) {
      const li = document.createElement("li");
      li.dataset.cls = cls;
      const t = document.createElement("span");
      t.textContent = cls + " → " + type;
      const rm = document.createElement("button");
      rm.type = "button"; rm.className = "link"; rm.textContent = "Remove";
      rm.setAttribute("aria-label", "Remove the operator of " + cls);
      rm.addEventListener("click", () => { delete state.ops[cls]; renderOps(); keepLastShown(); });
      li.append(t, rm);
      list.append(li);
    }
  }

  // policy is the request's masking policy: the default operator, the
  // per-class operators and the excluded classes (what the server allows).
  function policy() {
    const keep = Math.max(0, parseInt($("keep-last").value, 10) || 0);
    const spec = (type) => (type === "mask" && keep > 0 ? { type, keep_last: keep } : { type });
    const allowed = (state.policy && state.policy.overridable) || [];
    const p = {};
    if (allowed.includes("operator")) p.operator = spec($("operator").value);
    const ops = Object.entries(state.ops);
    if (ops.length && allowed.includes("operators")) {
      p.operators = {};
      for (const [cls, type] of ops) p.operators[cls] = spec(type);
    }
    const excl = Array.from($("exclude").selectedOptions).map((o) => o.value);
    if (excl.length && allowed.includes("exclude")) p.exclude = excl;
    return p;
  }

  function selectedClasses() {
    const boxes = document.querySelectorAll('#class-list input[name="class"]');
    const chosen = [];
    for (const b of boxes) if (b.checked) chosen.push(b.value);
    return { chosen, all: chosen.length === boxes.length };
  }

  function chooseFile(f) {
    state.file = f || null;
    $("file-name").textContent = f ? f.name + " (" + Math.ceil(f.size / 1024) + " KiB)" : "";
    $("file-clear").hidden = !f;
    if (!f) $("file").value = "";
  }

  async function analyse(withMask) {
    let methods = [$("method-a").value];
    const mb = $("method-b").value;
    if (mb && mb !== methods[0]) methods.push(mb);
    // A server that fixes /v1/mask's methods gets none from the page.
    if (withMask && state.policy && !state.policy.overridable.includes("methods")) methods = [];
    const { chosen, all } = selectedClasses();
    if (chosen.length === 0) { setStatus("Pick at least one entity class.", true); return; }
    const classes = all ? [] : chosen;
    const pol = withMask ? policy() : null;
    const url = withMask ? "v1/mask" : "v1/detect";
    let init;
    if (state.file) {
      const fd = new FormData();
      fd.append("file", state.file, state.file.name);
      if (methods.length) fd.append("methods", methods.join(","));
      if (classes.length) fd.append("classes", classes.join(","));
      if (withMask) fd.append("policy", JSON.stringify(pol));
      init = { method: "POST", body: fd, headers: headers() };
    } else {
      const text = $("text").value;
      if (!text.trim()) { setStatus("Paste some text or choose a file first.", true); $("text").focus(); return; }
      const body = { text, methods, classes };
      if (withMask) body.policy = pol;
      init = { method: "POST", body: JSON.stringify(body), headers: headers({ "Content-Type": "application/json" }) };
    }
    setStatus(withMask ? "Masking…" : "Detecting…");
    $("mask-btn").disabled = true; $("detect-btn").disabled = true;
    try {
      const res = await fetch(url, init);
      const body = await res.json().catch(() => ({ message: "unreadable answer (HTTP " + res.status + ")" }));
      if (!res.ok) {
        const retry = res.headers.get("Retry-After");
        setStatus("Error " + res.status + ": " + (body.message || body.code) + (retry ? " (retry in " + retry + " s)" : ""), true);
        return;
      }
      if (state.file) { $("text").value = body.text; chooseFile(null); }
      render(body, withMask);
      const n = body.results.map((r) => r.method + ": " + r.entities.length + " entities").join("; ");
      setStatus("Done. " + n + ".");
    } catch (e) {
      setStatus("The request failed: " + e.message, true);
    } finally {
      $("mask-btn").disabled = false; $("detect-btn").disabled = false;
    }
  }

  // highlight draws text with non-overlapping entities as <mark> elements.
  // Offsets are code points, so the text is split into code points.
  function highlight(el, text, entities) {
    const cps = Array.from(text);
    const ents = entities.slice().sort((x, y) => x.start - y.start || (y.end - y.start) - (x.end - x.start));
    el.replaceChildren();
    let pos = 0;
    for (const e of ents) {
      if (e.start < pos || e.end > cps.length) continue;
      if (e.start > pos) el.append(document.createTextNode(cps.slice(pos, e.start).join("")));
      const m = document.createElement("mark");
      m.className = "ent " + colour(e.label);
      m.dataset.label = e.label;
      m.title = e.label + (e.score ? " (" + e.score.toFixed(2) + ")" : "");
      const v = document.createElement("span");
      v.className = "val";
      v.textContent = cps.slice(e.start, e.end).join("");
      const t = document.createElement("span");
      t.className = "tag";
      t.textContent = e.label;
      t.setAttribute("aria-label", "class " + e.label);
      m.append(v, t);
      el.append(m);
      pos = e.end;
    }
    if (pos < cps.length) el.append(document.createTextNode(cps.slice(pos).join("")));
  }

  function render(body, withMask) {
    const out = $("results");
    out.replaceChildren();
    $("combined").replaceChildren();
    for (const r of body.results) {
      const node = $("result-tpl").content.cloneNode(true);
      const art = node.querySelector(".result");
      art.dataset.method = r.method;
      art.querySelector(".result-title").textContent = r.method;
      art.querySelector(".meta").textContent = r.entities.length + " entities · " + r.ms.toFixed(1) + " ms" + (r.failure ? " · failure: " + r.failure : "");
      highlight(art.querySelector(".highlighted"), body.text, r.entities);
      const counts = {};
      for (const e of r.entities) counts[e.label] = (counts[e.label] || 0) + 1;
      const legend = art.querySelector(".legend");
      for (const [label, n] of Object.entries(counts).sort()) {
        const li = document.createElement("li");
        li.className = colour(label);
        li.textContent = label + " × " + n;
        legend.append(li);
      }
      const block = art.querySelector(".masked-block");
      if (!withMask) { block.remove(); } else {
        art.querySelector(".masked").textContent = r.masked;
        art.querySelector(".copy").setAttribute("aria-label", "Copy the masked text of " + r.method);
        art.querySelector(".download").setAttribute("aria-label", "Download the masked text of " + r.method);
        art.querySelector(".copy").addEventListener("click", () => copy(r.masked));
        art.querySelector(".download").addEventListener("click", () => download(r.masked, "masked-" + r.method + ".txt"));
      }
      out.append(node);
    }
    // Several methods: the text masked with all their entities together,
    // under the policy's ensemble.
    if (withMask && body.results.length > 1 && typeof body.masked === "string") {
      const node = $("result-tpl").content.cloneNode(true);
      const art = node.querySelector(".result");
      art.dataset.method = "all";
      art.querySelector(".result-title").textContent = "All methods together";
      art.querySelector(".meta").textContent = (body.replacements || []).length + " replacements";
      for (const sel of [".highlighted", ".legend"]) art.querySelector(sel).remove();
      art.querySelector("h4").remove();
      art.querySelector(".masked").textContent = body.masked;
      art.querySelector(".copy").setAttribute("aria-label", "Copy the text masked by all methods");
      art.querySelector(".download").setAttribute("aria-label", "Download the text masked by all methods");
      art.querySelector(".copy").addEventListener("click", () => copy(body.masked));
      art.querySelector(".download").addEventListener("click", () => download(body.masked, "masked-all.txt"));
      $("combined").append(node);
    }
  }

  async function copy(text) {
    try {
      await navigator.clipboard.writeText(text);
      setStatus("Masked text copied.");
    } catch (e) {
      const ta = document.createElement("textarea");
      ta.value = text; document.body.append(ta); ta.select();
      const ok = document.execCommand("copy");
      ta.remove();
      setStatus(ok ? "Masked text copied." : "Copy failed: select the text and copy it by hand.", !ok);
    }
  }

  function download(text, name) {
    const url = URL.createObjectURL(new Blob([text], { type: "text/plain;charset=utf-8" }));
    const a = document.createElement("a");
    a.href = url; a.download = name; document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  function wire() {
    $("form").addEventListener("submit", (ev) => { ev.preventDefault(); analyse(true); });
    $("detect-btn").addEventListener("click", () => analyse(false));
    $("text").addEventListener("keydown", (ev) => {
      if (ev.key === "Enter" && (ev.ctrlKey || ev.metaKey)) { ev.preventDefault(); analyse(true); }
    });
    $("file").addEventListener("change", () => chooseFile($("file").files[0]));
    $("file-clear").addEventListener("click", () => chooseFile(null));
    const drop = $("drop");
    drop.addEventListener("dragover", (ev) => { ev.preventDefault(); drop.classList.add("over"); });
    drop.addEventListener("dragleave", () => drop.classList.remove("over"));
    drop.addEventListener("drop", (ev) => {
      ev.preventDefault(); drop.classList.remove("over");
      if (ev.dataTransfer.files.length) chooseFile(ev.dataTransfer.files[0]);
    });
    const setAll = (v) => { for (const b of document.querySelectorAll('#class-list input[name="class"]')) if (!b.parentElement.hidden) b.checked = v; };
    $("classes-all").addEventListener("click", () => setAll(true));
    $("classes-none").addEventListener("click", () => setAll(false));
    $("class-filter").addEventListener("input", () => {
      const q = $("class-filter").value.trim().toUpperCase();
      for (const l of document.querySelectorAll("#class-list label")) l.hidden = q !== "" && !l.dataset.cls.includes(q);
    });
    $("apikey").addEventListener("change", loadMethods);
    $("operator").addEventListener("change", keepLastShown);
    $("op-add").addEventListener("click", () => {
      state.ops[$("op-class").value] = $("op-type").value;
      renderOps(); keepLastShown();
    });
  }

  document.addEventListener("DOMContentLoaded", () => { wire(); loadMethods(); });
})();
