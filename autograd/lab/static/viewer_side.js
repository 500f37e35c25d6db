/* The lab viewer, part 2 of 3: the side panel. The inspector (a node's forward, local rule
   and chain-rule sum), the live parts (a slider and a box per input, learning rate,
   "Gradient step", "Check"), the check table, extra panels, and the legend. Every number
   shown is text Python wrote; this part only lays it out and sends actions back. */
AgLab.Side = function (ui, host, ctx) {
  "use strict";
  var h = AgLab.h, leafRows = {}, ranges = {}, sending = false, queued = null, msg = null;
  var output = null;

  function inspect(r, current) {
    ui.inspect.innerHTML = "";
    if (!r) { return; }
    var what = r.op === "leaf" ? "input (leaf)" : r.op + " [" + r.symbol + "]";
    var head = (r.name === "#" + r.number ? r.name : r.name + "  \u00b7  #" + r.number);
    var parts = [h("div", {cls: "ag-title ag-inspect-head", text: head + "  \u00b7  " + what}),
      h("div", {cls: "ag-out ag-inspect-values", text: "data " + r.data + "    grad " + r.grad}),
      h("h3", {text: "Forward"}), h("pre", {cls: "ag-inspect-forward", text: r.forward})];
    if (r.rules.length) {
      parts.push(h("h3", {text: "Local rule"}));
      parts.push(h("pre", {cls: "ag-inspect-rule", text: r.rules.join("\n")}));
    }
    parts.push(h("h3", {text: "Gradient: the chain rule over its consumers"}));
    parts.push(h("pre", {cls: "ag-inspect-sum", text: r.sum.join("\n")}));
    if (r.terms.length) {
      parts.push(h("ol", {cls: "ag-terms"}, r.terms.map(function (t) {
        var added = current >= t.frame;  // is this term in the grad at the frame shown?
        return h("li", {cls: added ? "ag-added" : "ag-pending",
                        text: t.text + (added ? "" : "  (not added yet)")});
      })));
    }
    parts.forEach(function (p) { ui.inspect.appendChild(p); });
  }

  function hint() {
    ui.inspect.innerHTML = "";
    ui.inspect.appendChild(h("div", {cls: "ag-hint", text: "Click a node to see how it was "
      + "computed, its local rule and its gradient as the chain-rule sum over its consumers."}));
  }

  function send(action, args) {  // one request at a time; the latest waiting one goes next
    if (!host.send) { return; }
    if (sending) { queued = [action, args]; return; }
    sending = true;
    Promise.resolve(host.send(action, args)).then(function (s) {
      if (s) { ctx.update(s); }
    }, function (err) {
      message("refused: " + (err && err.message ? err.message : err));
    }).then(function () {
      sending = false;
      if (queued) { var q = queued; queued = null; send(q[0], q[1]); }
    });
  }

  function message(text) {
    if (!msg) { return; }
    msg.textContent = text || "";
    msg.classList.toggle("ag-bad", /^refused/.test(text || ""));
  }

  function leafRow(leaf) {
    if (!(leaf.key in ranges)) {
      var span = Math.max(1, 2 * Math.abs(leaf.value || 0));
      ranges[leaf.key] = [(leaf.value || 0) - span, (leaf.value || 0) + span];
    }
    var lo = ranges[leaf.key][0], hi = ranges[leaf.key][1];
    var range = h("input", {type: "range", min: String(lo), max: String(hi),
      step: String((hi - lo) / 200), value: String(leaf.value), "data-key": leaf.key,
      "aria-label": leaf.key});
    var box = h("input", {type: "number", step: "any", value: String(leaf.value),
      "data-key": leaf.key, "aria-label": leaf.key + " value"});
    var grad = h("div", {cls: "ag-leafgrad"});
    function set(x) { var v = {}; v[leaf.key] = x; send("set_leaves", {values: v}); }
    range.addEventListener("input", function () { box.value = range.value; set(Number(range.value)); });
    box.addEventListener("change", function () {
      var x = Number(box.value);
      if (box.value === "" || !isFinite(x)) { message("refused: " + leaf.key + " needs a number"); return; }
      if (x < Number(range.min) || x > Number(range.max)) {  // widen the slider around it
        var span = Math.max(1, 2 * Math.abs(x));
        ranges[leaf.key] = [x - span, x + span];
        range.min = String(x - span); range.max = String(x + span); range.step = String(span / 100);
      }
      range.value = String(x);
      set(x);
    });
    leafRows[leaf.key] = {range: range, box: box, grad: grad};
    return h("div", {cls: "ag-leaf", "data-key": leaf.key},
             [h("label", {text: leaf.key, title: leaf.key}), range, box, grad]);
  }

  function live(scene) {  // the inputs' rows, built once per set of inputs
    if (!scene.live) { ui.live.innerHTML = ""; return; }
    var same = Object.keys(leafRows).length === scene.leaves.length &&
      scene.leaves.every(function (l) { return l.key in leafRows; });
    if (!same) {
      ui.live.innerHTML = "";
      leafRows = {};
      output = h("div", {cls: "ag-out ag-output"});
      var lr = h("input", {type: "number", step: "any", value: String(scene.lr), cls: "ag-lr",
                           "aria-label": "learning rate"});
      var step = h("button", {cls: "ag-gradstep", text: "Gradient step"});
      var check = h("button", {cls: "ag-checkbtn", text: "Check"});
      step.addEventListener("click", function () { send("gradient_step", {lr: Number(lr.value)}); });
      check.addEventListener("click", function () { send("check", {}); });
      msg = h("div", {cls: "ag-msg"});
      [h("h3", {text: "Inputs"}), output, h("div", {cls: "ag-leaves"}, scene.leaves.map(leafRow)),
       h("div", {cls: "ag-row"}, [h("span", {text: "lr"}), lr, step, check]), msg]
        .forEach(function (el) { ui.live.appendChild(el); });
    }
    output.textContent = scene.output.name + " = " + scene.output.data +
      "   (grad " + scene.output.grad + ")";
    scene.leaves.forEach(function (leaf) {
      var row = leafRows[leaf.key], v = leaf.value === null ? "" : String(+leaf.value.toPrecision(6));
      if (document.activeElement !== row.box) { row.box.value = v; }
      if (document.activeElement !== row.range && leaf.value !== null) { row.range.value = String(leaf.value); }
      row.grad.textContent = "= " + leaf.text + "   grad " + leaf.grad;
    });
    message(scene.message);
  }

  function check(scene) {
    ui.check.innerHTML = "";
    var c = scene.check;
    if (!c) { return; }
    var rows = [h("tr", {}, ["input", "analytic", "numeric", "abs err", "status"]
      .map(function (t) { return h("th", {text: t}); }))].concat(c.rows.map(function (r) {
        return h("tr", {cls: r.status === "FAIL" ? "ag-fail" : ""},
          [r.name, r.analytic, r.numeric, r.abs_err, r.status].map(function (t) {
            return h("td", {text: t});
          }));
      }));
    ui.check.appendChild(h("h3", {text: "Gradient check"}));
    ui.check.appendChild(h("table", {cls: "ag-table"}, rows));
    if (c.blame) { ui.check.appendChild(h("pre", {cls: "ag-blame", text: c.blame})); }
    ui.check.appendChild(h("div", {cls: "ag-msg ag-verdict" + (c.ok ? "" : " ag-bad"),
                                   text: c.verdict}));
  }

  function panels(scene) {  // the seam for live views: one element per registered panel
    var data = scene.panels || {};
    Object.keys(data).forEach(function (name) {
      var el = ui.panels.querySelector('[data-panel="' + name + '"]');
      if (!el) {
        el = h("div", {cls: "ag-panel", "data-panel": name});
        ui.panels.appendChild(el);
      }
      if (AgLab.panels[name]) { AgLab.panels[name](el, data[name], {send: host.send ? send : null}); }
      else { el.textContent = typeof data[name] === "string" ? data[name] : ""; }
    });
  }

  function legend() {
    var items = [["#d62728", "#fde0dd", "the node of this step"],
                 ["#ff7f0e", "#fff1e0", "its inputs (their values or grads change)"],
                 ["#999", "#eef6ee", "value computed (forward)"],
                 ["#1f5fbf", "#fff", "the node in the inspector"]];
    ui.legend.innerHTML = "";
    ui.legend.appendChild(h("h3", {text: "Legend"}));
    items.forEach(function (it) {
      var sw = h("span", {cls: "ag-swatch"});
      sw.style.borderColor = it[0];
      sw.style.background = it[1];
      ui.legend.appendChild(h("div", {}, [sw, document.createTextNode(it[2])]));
    });
    ui.legend.appendChild(h("div", {text: "edge labels: the local derivative d(out)/d(in); "
      + AgLab.BLANK + " : not computed yet. Drag to pan, wheel to zoom."}));
  }

  return {inspect: inspect, hint: hint, live: live, check: check, panels: panels,
          legend: legend};
};
