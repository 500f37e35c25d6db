/* The side panel: the inspector (a node's forward, local rule and chain-rule sum; a neuron
   box's w·x + b), the inputs (a slider and a box per input, learning rate, "Gradient step",
   "Check"), and the panels. Every number is text Python wrote; none shows before the frame
   that computes it (the Timeline says which). Actions go back through `host`:
   {setValue(key, x), send(action, args)}. */

function Side(ui, host) {
  let leafRows = {}, ranges = {}, output = null, msg = null, lrBox = null;

  function pre(cls, lines) { return h("pre", {cls: cls, text: lines.join("\n")}); }

  function inspect(r, i, timeline, quiz) {
    ui.inspect.innerHTML = "";
    if (!r) { hint(); return; }
    const known = i >= r.data_frame, whole = i >= r.grad_frame;
    const what = r.op === "leaf" ? "input (leaf)" : r.op + " [" + r.symbol + "]";
    const head = (r.name === "#" + r.number ? r.name : r.name + "  \u00b7  #" + r.number);
    const parts = [h("div", {cls: "ag-title ag-inspect-head", text: head + "  \u00b7  " + what}),
      h("div", {cls: "ag-out ag-inspect-values",
                text: "data " + (known ? r.data : BLANK) + "    grad " + timeline.grad(r.number, i)})];
    if (r.neuron) { neuron(parts, r.neuron, i, known, quiz); }
    parts.push(h("h3", {text: "Forward"}));
    parts.push(pre("ag-inspect-forward", [known ? r.forward :
      "computed at forward step " + r.data_frame + " (not yet)"]));
    if (r.rules.length) {
      const shown = known && (!quiz || r.back === null || r.back === undefined || i >= r.back);
      parts.push(h("h3", {text: "Local rule"}));
      parts.push(pre("ag-inspect-rule", shown ? r.rules :
        ["used at frame " + r.back + " (not yet)"]));
    }
    parts.push(h("h3", {text: "Gradient: the chain rule over its consumers"}));
    parts.push(pre("ag-inspect-sum", whole ? r.sum :
      [r.sum[0], "= ... (its terms come in as the backward pass reaches them)"]));
    if (r.terms.length) {
      parts.push(h("ol", {cls: "ag-terms"}, r.terms.map((t) => {
        const added = i >= t.frame;  // is this term in the grad at the frame shown?
        return h("li", {cls: added ? "ag-added" : "ag-pending",
                        text: added ? t.text + ";  " + t.up : "added at frame " + t.frame + " (not yet)"});
      })));
    }
    parts.forEach((p) => ui.inspect.appendChild(p));
  }

  function neuron(parts, n, i, known, quiz) {
    const whole = n.grad_frame !== null && i >= n.grad_frame;
    parts.push(h("h3", {text: "Neuron " + n.path}));
    parts.push(pre("ag-neuron-forward", known ? n.forward : ["n = w\u00b7x + b  (not computed yet)"]));
    parts.push(pre("ag-neuron-rule", known && (!quiz || whole) ? n.rules : ["its local rule: not yet"]));
    parts.push(pre("ag-neuron-sum", whole ? n.grads :
      ["dL/dn = dL/do \u00b7 do/dn,  dL/dw_i = dL/dn \u00b7 x_i  (numbers once backward reaches it)"]));
  }

  function hint() {
    ui.inspect.innerHTML = "";
    ui.inspect.appendChild(h("div", {cls: "ag-hint", text: "Click a node to see how it was "
      + "computed, its local rule and its gradient as the chain-rule sum over its consumers."}));
  }

  function message(text) {
    if (!msg) { return; }
    msg.textContent = text || "";
    msg.classList.toggle("ag-bad", /^refused/.test(text || ""));
  }

  function fitBox(box) {  // a number box as wide as its value: "-1.27354e-7" shows whole
    box.style.width = Math.max(9, box.value.length + 4) + "ch";
  }

  function leafRow(leaf) {
    if (!(leaf.key in ranges)) {
      const span = Math.max(1, 2 * Math.abs(leaf.value || 0));
      ranges[leaf.key] = [(leaf.value || 0) - span, (leaf.value || 0) + span];
    }
    const lo = ranges[leaf.key][0], hi = ranges[leaf.key][1];
    const range = h("input", {type: "range", min: String(lo), max: String(hi),
      step: String((hi - lo) / 200), value: String(leaf.value), "data-key": leaf.key,
      "aria-label": leaf.key});
    const box = h("input", {type: "number", step: "any", value: String(leaf.value),
      "data-key": leaf.key, "aria-label": leaf.key + " value"});
    const grad = h("div", {cls: "ag-leafgrad"});
    range.addEventListener("input", () => {
      box.value = range.value;
      fitBox(box);
      host.setValue(leaf.key, Number(range.value));
    });
    box.addEventListener("input", () => fitBox(box));
    box.addEventListener("change", () => {
      const x = Number(box.value);
      if (box.value === "" || !isFinite(x)) { message("refused: " + leaf.key + " needs a number"); return; }
      if (x < Number(range.min) || x > Number(range.max)) {  // widen the slider around it
        const span = Math.max(1, 2 * Math.abs(x));
        ranges[leaf.key] = [x - span, x + span];
        range.min = String(x - span); range.max = String(x + span); range.step = String(span / 100);
      }
      range.value = String(x);
      host.setValue(leaf.key, x);
    });
    leafRows[leaf.key] = {range: range, box: box, grad: grad, leaf: leaf};
    const label = h("label", {text: leaf.short || leaf.key, title: leaf.key});
    return h("div", {cls: "ag-leaf", "data-key": leaf.key}, [label, range, box, grad]);
  }

  function inputs(scene, i, timeline) {  // the inputs' rows, built once per set of inputs
    if (!scene.live) {  // nothing to change here: only what Python last said, if anything
      ui.live.innerHTML = "";
      leafRows = {}; output = null; msg = null;
      if (scene.message) { ui.live.appendChild(h("div", {cls: "ag-msg ag-note", text: scene.message})); }
      return;
    }
    const same = Object.keys(leafRows).length === scene.leaves.length &&
      scene.leaves.every((l) => l.key in leafRows);
    if (!same) {
      ui.live.innerHTML = "";
      leafRows = {};
      output = h("div", {cls: "ag-out ag-output"});
      lrBox = h("input", {type: "number", step: "any", value: String(scene.lr), cls: "ag-lr",
                          "aria-label": "learning rate"});
      lrBox.addEventListener("change", () => host.setLr(Number(lrBox.value)));
      const step = h("button", {cls: "ag-gradstep", text: "Gradient step"});
      const check = h("button", {cls: "ag-checkbtn", text: "Check"});
      step.addEventListener("click", () => host.send("gradient_step", {lr: Number(lrBox.value)}));
      check.addEventListener("click", () => host.send("check", {}));
      msg = h("div", {cls: "ag-msg"});
      [h("h3", {text: "Inputs"}), output, h("div", {cls: "ag-leaves"}, scene.leaves.map(leafRow)),
       h("div", {cls: "ag-row"}, [h("span", {text: "lr"}), lrBox, step, check]), msg]
        .forEach((el) => ui.live.appendChild(el));
    }
    scene.leaves.forEach((leaf) => {
      const row = leafRows[leaf.key];
      const v = leaf.value === null ? "" : String(+leaf.value.toPrecision(6));
      row.leaf = leaf;
      if (document.activeElement !== row.box) { row.box.value = v; fitBox(row.box); }
      if (document.activeElement !== row.range && leaf.value !== null) { row.range.value = String(leaf.value); }
    });
    message(scene.message);
    frame(scene, i, timeline);
  }

  function frame(scene, i, timeline) {  // what the inputs' rows show at frame i
    if (!output) { return; }
    const root = scene.root;
    output.textContent = scene.output.name + " = " +
      (timeline.known(root, i) ? scene.output.data : BLANK) + "   (grad " + timeline.grad(root, i) + ")";
    scene.leaves.forEach((leaf) => {
      const row = leafRows[leaf.key];
      if (row) { row.grad.textContent = "= " + leaf.text + "   grad " + timeline.grad(leaf.number, i); }
    });
  }

  function panels(scene, i, api) {  // one element per panel the scene has data for
    const data = scene.panels || {}, now = (scene.frames[i] && scene.frames[i].panels) || {};
    const names = Object.keys(data);
    ui.panels.querySelectorAll("[data-panel]").forEach((el) => {
      if (names.indexOf(el.getAttribute("data-panel")) < 0) { el.remove(); }
    });
    names.forEach((name) => {
      let el = ui.panels.querySelector('[data-panel="' + name + '"]');
      if (!el) {
        el = h("div", {cls: "ag-panel", "data-panel": name});
        ui.panels.appendChild(el);
      }
      const merged = Object.assign({}, data[name], now[name] || {});
      if (PANELS[name]) { PANELS[name](el, merged, api); }
      else { el.textContent = typeof data[name] === "string" ? data[name] : ""; }
    });
  }

  function legend() {
    const items = [["#d62728", "#fde0dd", "the node of this step"],
                   ["#ff7f0e", "#fff1e0", "its inputs (their values or grads change)"],
                   ["#999", "#eef6ee", "value computed (forward)"],
                   ["#1f5fbf", "#fff", "the node in the inspector"],
                   ["#d9a400", "#fff4d6", "predict mode: the node you are asked about"]];
    ui.legend.innerHTML = "";
    ui.legend.appendChild(h("h3", {text: "Legend"}));
    items.forEach((it) => {
      const sw = h("span", {cls: "ag-swatch"});
      sw.style.borderColor = it[0];
      sw.style.background = it[1];
      ui.legend.appendChild(h("div", {}, [sw, document.createTextNode(it[2])]));
    });
    ui.legend.appendChild(h("div", {text: "edge labels: the local derivative d(out)/d(in); "
      + BLANK + " : not computed yet. Drag to pan, wheel to zoom."}));
  }

  return {inspect, hint, inputs, frame, panels, legend, message};
}
