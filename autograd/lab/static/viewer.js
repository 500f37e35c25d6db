/* The lab viewer: draws a graph laid out once by Graphviz and applies the per-frame
   states Python computed. One file for every host: a static page, the local server's
   page and the notebook widget each call AgLab.mount(element, host), where host is
     { scene: {...},                       the first scene (with its "svg")
       send: function (action, args) {},   live hosts only: ask Python to act
       position: function (i) {},          optional: tell the host the frame shown
       subscribe: function (onScene) {} }  optional: new scenes pushed by Python
   Extra panels (live training) register with AgLab.registerPanel(name, render); a
   scene's "panels" object maps each name to the data its render(element, data) draws. */
var AgLab = (function () {
  "use strict";
  var BLANK = "\u2014", MIN_TEXT_PX = 11, FONT_UNITS = 12, PLAY_MS = 900;
  var panels = {};
  var FIELDS = ["max |param grad|", "data", "grad"];

  function h(tag, attrs, children) {
    var el = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") { el.textContent = attrs[k]; }
      else if (k === "cls") { el.className = attrs[k]; }
      else { el.setAttribute(k, attrs[k]); }
    });
    (children || []).forEach(function (c) { if (c) { el.appendChild(c); } });
    return el;
  }

  function registerPanel(name, render) { panels[name] = render; }

  function mount(root, host) {
    var scene = host.scene, frames = scene.frames, current = 0, timer = null;
    var selected = null, view = null, full = null, sending = false, queued = null;
    root.classList.add("ag-lab");
    root.setAttribute("tabindex", "0");
    root.innerHTML = "";

    // -- the frame: top bar, graph pane, side panel --------------------------------------
    var ui = {};
    ui.name = h("span", {cls: "ag-name", text: scene.title});
    ui.first = h("button", {cls: "ag-first", title: "first frame (Home)", text: "\u00ab"});
    ui.prev = h("button", {cls: "ag-prev", title: "previous step (Left arrow)", text: "\u25c0 Prev"});
    ui.play = h("button", {cls: "ag-play", title: "play / pause (Space)", text: "\u25b6 Play"});
    ui.next = h("button", {cls: "ag-next", title: "next step (Right arrow)", text: "Next \u25b6"});
    ui.last = h("button", {cls: "ag-last", title: "last frame (End)", text: "\u00bb"});
    ui.slider = h("input", {cls: "ag-slider", type: "range", min: "0", step: "1", value: "0",
                            "aria-label": "frame"});
    ui.phase = h("span", {cls: "ag-phase"});
    ui.counter = h("span", {cls: "ag-counter"});
    ui.zoomOut = h("button", {cls: "ag-zoomout", title: "zoom out (-)", text: "\u2212"});
    ui.fit = h("button", {cls: "ag-fit", title: "fit the graph to the window (F)", text: "Fit"});
    ui.zoomIn = h("button", {cls: "ag-zoomin", title: "zoom in (+)", text: "+"});
    var top = h("div", {cls: "ag-top"}, [ui.name, ui.first, ui.prev, ui.play, ui.next, ui.last,
      ui.slider, ui.phase, ui.counter, ui.zoomOut, ui.fit, ui.zoomIn]);
    ui.graph = h("div", {cls: "ag-graph"});
    ui.title = h("div", {cls: "ag-title"});
    ui.text = h("pre", {cls: "ag-step"});
    ui.inspect = h("div", {cls: "ag-inspect"});
    ui.live = h("div", {cls: "ag-live"});
    ui.check = h("div", {cls: "ag-check"});
    ui.panels = h("div", {cls: "ag-panels"});
    ui.legend = h("div", {cls: "ag-legend"});
    ui.side = h("div", {cls: "ag-side"}, [ui.title, ui.text, h("h3", {text: "Inspector"}),
      ui.inspect, ui.live, ui.check, ui.panels, ui.legend]);
    root.appendChild(top);
    root.appendChild(h("div", {cls: "ag-main"}, [ui.graph, ui.side]));

    // -- the drawing ---------------------------------------------------------------------
    var svg, boxText = {}, edgeText = {}, nodeOf = {}, boxes = {};

    function drawing() {
      ui.graph.innerHTML = scene.svg;
      svg = ui.graph.querySelector("svg");
      svg.removeAttribute("width");
      svg.removeAttribute("height");
      var box = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
      full = {x: box[0], y: box[1], w: box[2], h: box[3]};
      boxText = {}; edgeText = {}; nodeOf = {}; boxes = {};
      svg.querySelectorAll("g.node").forEach(function (g) {
        boxes[g.id] = g;
        var fields = {};
        g.querySelectorAll("text").forEach(function (t) {
          var s = t.textContent;
          FIELDS.some(function (f) {
            if (s.indexOf(f + " ") === 0) { fields[f] = t; return true; }
            return false;
          });
        });
        boxText[g.id] = fields;
        var title = g.querySelector("title");
        if (title) { title.textContent = ""; }
      });
      svg.querySelectorAll("g.edge").forEach(function (g) {
        var t = g.querySelector("text");
        if (t && g.id) { edgeText[g.id] = t; }
        var title = g.querySelector("title");
        if (title) { title.textContent = ""; }
      });
      Object.keys(scene.boxes).forEach(function (k) {
        var id = scene.boxes[k];
        if (!(id in nodeOf)) { nodeOf[id] = Number(k); }
        nodeOf[id + "op"] = Number(k);
      });
      Object.keys(scene.outputs || {}).forEach(function (id) { nodeOf[id] = scene.outputs[id]; });
      placeLabels();
      svg.addEventListener("click", function (e) {
        var g = e.target.closest ? e.target.closest("g.node") : null;
        if (g && g.id in nodeOf) { inspect(nodeOf[g.id]); }
      });
    }

    // Each edge label sits on its own edge: centred on a point of the edge's path (with a
    // white halo), moved along the path until it overlaps no label placed before it.
    function placeLabels() {
      var placed = [], spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];
      Object.keys(edgeText).forEach(function (id) {
        var t = edgeText[id], path = t.parentNode.querySelector("path");
        if (!path) { return; }
        var n = path.getTotalLength(), w = t.getBBox().width, hgt = t.getBBox().height, best = null;
        t.setAttribute("text-anchor", "middle");
        t.setAttribute("dominant-baseline", "central");
        t.classList.add("ag-edgelabel");
        spots.some(function (f) {
          var q = path.getPointAtLength(n * f);
          var box = {x: q.x - w / 2, y: q.y - hgt / 2, w: w, h: hgt};
          var clear = placed.every(function (o) {
            return box.x + box.w <= o.x || o.x + o.w <= box.x ||
                   box.y + box.h <= o.y || o.y + o.h <= box.y;
          });
          if (best === null || clear) { best = {q: q, box: box}; }
          return clear;
        });
        t.setAttribute("x", String(best.q.x));
        t.setAttribute("y", String(best.q.y));
        var bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
        bg.setAttribute("class", "ag-labelbg");
        bg.setAttribute("x", String(best.box.x - 1));
        bg.setAttribute("y", String(best.box.y));
        bg.setAttribute("width", String(best.box.w + 2));
        bg.setAttribute("height", String(best.box.h));
        t.parentNode.insertBefore(bg, t);
        placed.push(best.box);
      });
    }

    function elementOf(k) { return boxes[scene.boxes[k]] || null; }

    // -- fitting, zooming, panning (all through the viewBox) ------------------------------
    function minScale() {  // a hair above 11 px; a live overview opens whole
      return scene.overview ? 0.05 : (MIN_TEXT_PX + 0.1) / FONT_UNITS;
    }

    function setView(v) {
      view = v;
      svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
    }

    function fit() {
      var pw = ui.graph.clientWidth || 600, ph = ui.graph.clientHeight || 400, pad = 8;
      var s = Math.min((pw - 2 * pad) / full.w, (ph - 2 * pad) / full.h, 1.6);
      s = Math.max(s, minScale());
      var w = pw / s, hgt = ph / s;
      var x = full.w <= w ? full.x - (w - full.w) / 2 : full.x - pad / s;
      var y = full.h <= hgt ? full.y - (hgt - full.h) / 2 : full.y - pad / s;
      setView({x: x, y: y, w: w, h: hgt});
    }

    function zoom(factor, cx, cy) {
      var pw = ui.graph.clientWidth, ph = ui.graph.clientHeight;
      var s = pw / view.w * factor;
      s = Math.max(Math.min(s, 4), 0.1);
      var fx = cx === undefined ? 0.5 : cx / pw, fy = cy === undefined ? 0.5 : cy / ph;
      var gx = view.x + fx * view.w, gy = view.y + fy * view.h;
      var w = pw / s, hgt = ph / s;
      setView({x: gx - fx * w, y: gy - fy * hgt, w: w, h: hgt});
    }

    function reveal(ks) {  // pan so the step's nodes are in view, if they are not
      var pw = ui.graph.clientWidth, s = pw / view.w, r = ui.graph.getBoundingClientRect();
      var box = null;
      ks.forEach(function (k) {
        var el = elementOf(k);
        if (!el) { return; }
        var b = el.getBoundingClientRect();
        box = box ? {left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                     top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom)} : b;
      });
      if (!box) { return; }
      var dx = 0, dy = 0;
      if (box.left < r.left || box.right > r.right) {
        dx = ((box.left + box.right) / 2 - (r.left + r.right) / 2) / s;
      }
      if (box.top < r.top || box.bottom > r.bottom) {
        dy = ((box.top + box.bottom) / 2 - (r.top + r.bottom) / 2) / s;
      }
      if (dx || dy) { setView({x: view.x + dx, y: view.y + dy, w: view.w, h: view.h}); }
    }

    var drag = null;
    ui.graph.addEventListener("mousedown", function (e) {
      drag = {x: e.clientX, y: e.clientY, view: view, moved: false};
      ui.graph.classList.add("ag-drag");
    });
    window.addEventListener("mousemove", function (e) {
      if (!drag) { return; }
      var s = ui.graph.clientWidth / view.w;
      var dx = (e.clientX - drag.x) / s, dy = (e.clientY - drag.y) / s;
      if (Math.abs(dx) + Math.abs(dy) > 2) { drag.moved = true; }
      setView({x: drag.view.x - dx, y: drag.view.y - dy, w: view.w, h: view.h});
    });
    window.addEventListener("mouseup", function () {
      drag = null;
      ui.graph.classList.remove("ag-drag");
    });
    ui.graph.addEventListener("wheel", function (e) {
      e.preventDefault();
      var r = ui.graph.getBoundingClientRect();
      zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
    }, {passive: false});

    // -- showing frame i -----------------------------------------------------------------
    function clearMarks() {
      svg.querySelectorAll(".ag-cur, .ag-kid, .ag-act, .ag-fwd, .ag-done, .ag-known, .ag-upd")
        .forEach(function (el) {
          el.classList.remove("ag-cur", "ag-kid", "ag-act", "ag-fwd", "ag-done", "ag-known",
                              "ag-upd");
        });
    }

    function show(i) {
      current = Math.max(0, Math.min(frames.length - 1, i));
      var texts = {}, labels = {}, j, f;
      for (j = 0; j <= current; j++) {
        f = frames[j];
        f.set.forEach(function (s) { texts[s[0] + "\u0000" + s[1]] = s[2]; });
        (f.labels || []).forEach(function (l) { labels[l[0]] = l[1]; });
      }
      clearMarks();
      Object.keys(boxText).forEach(function (id) {
        var fields = boxText[id];
        Object.keys(fields).forEach(function (name) {
          var key = id + "\u0000" + name;
          fields[name].textContent = name + " " + (key in texts ? texts[key] : BLANK);
          if (key in texts && texts[key] !== BLANK && name === "data") {
            boxes[id].classList.add("ag-done");
            var op = boxes[id + "op"];
            if (op) { op.classList.add("ag-done"); }
          }
        });
      });
      Object.keys(edgeText).forEach(function (id) {
        if (id in labels) {
          edgeText[id].textContent = labels[id];
          edgeText[id].parentNode.classList.add("ag-known");
        }
      });
      f = frames[current];
      var back = current >= scene.forward;
      if (f.node !== null) {
        var el = elementOf(f.node);
        if (el) { el.classList.add("ag-cur"); }
        var op = boxes[scene.boxes[f.node] + "op"];
        if (op) { op.classList.add("ag-cur"); }
      }
      f.kids.forEach(function (k) {
        var el = elementOf(k);
        if (el && k !== f.node) { el.classList.add("ag-kid"); }
      });
      f.edges.forEach(function (id) {
        var g = svg.querySelector('g.edge[id="' + id + '"]');
        if (g) { g.classList.add(back ? "ag-act" : "ag-fwd"); }
      });
      f.set.forEach(function (s) {
        var t = boxText[s[0]] && boxText[s[0]][s[1]];
        if (t && current > 0) { t.classList.add("ag-upd"); }
      });
      ui.title.textContent = f.title;
      ui.text.textContent = f.text;
      ui.slider.max = String(frames.length - 1);
      ui.slider.value = String(current);
      ui.counter.textContent = current + " / " + (frames.length - 1);
      var nf = scene.forward - 1, nb = frames.length - scene.forward - 1;
      ui.phase.textContent = back ? "backward " + (current - scene.forward) + "/" + nb
                                  : "forward " + current + "/" + nf;
      ui.phase.classList.toggle("ag-back", back);
      reveal([f.node].concat(f.kids).filter(function (k) { return k !== null; }));
      if (selected !== null) { inspect(selected, true); }
      if (host.position) { host.position(current); }
    }

    // -- the inspector -------------------------------------------------------------------
    function inspect(k, quiet) {
      selected = k;
      svg.querySelectorAll(".ag-sel").forEach(function (el) { el.classList.remove("ag-sel"); });
      var el = elementOf(k);
      if (el) { el.classList.add("ag-sel"); }
      var r = scene.inspector[k], parts = [];
      var what = r.op === "leaf" ? "input (leaf)" : r.op + " [" + r.symbol + "]";
      ui.inspect.innerHTML = "";
      if (!r) { return; }
      ui.inspect.appendChild(h("div", {cls: "ag-title ag-inspect-head",
        text: (r.name === "#" + r.number ? r.name : r.name + "  \u00b7  #" + r.number) +
              "  \u00b7  " + what}));
      ui.inspect.appendChild(h("div", {cls: "ag-out ag-inspect-values",
        text: "data " + r.data + "    grad " + r.grad}));
      parts.push(h("h3", {text: "Forward"}));
      parts.push(h("pre", {cls: "ag-inspect-forward", text: r.forward}));
      if (r.rules.length) {
        parts.push(h("h3", {text: "Local rule"}));
        parts.push(h("pre", {cls: "ag-inspect-rule", text: r.rules.join("\n")}));
      }
      parts.push(h("h3", {text: "Gradient: the chain rule over its consumers"}));
      parts.push(h("pre", {cls: "ag-inspect-sum", text: r.sum.join("\n")}));
      var list = h("ol", {cls: "ag-terms"});
      r.terms.forEach(function (t) {
        var added = current >= t.frame;
        list.appendChild(h("li", {cls: added ? "ag-added" : "ag-pending",
          text: t.text + (added ? "" : "  (not added yet)")}));
      });
      if (r.terms.length) { parts.push(list); }
      parts.forEach(function (p) { ui.inspect.appendChild(p); });
      if (!quiet) { root.focus({preventScroll: true}); }
    }

    // -- live parts: inputs, gradient step, check ----------------------------------------
    var leafRows = {}, ranges = {};

    function send(action, args) {
      if (!host.send) { return; }
      if (sending) { queued = [action, args]; return; }
      sending = true;
      Promise.resolve(host.send(action, args)).then(function (s) {
        if (s) { update(s); }
      }, function (err) {
        message("refused: " + err, true);
      }).then(function () {
        sending = false;
        if (queued) { var q = queued; queued = null; send(q[0], q[1]); }
      });
    }

    function message(text, bad) {
      if (!ui.msg) { return; }
      ui.msg.textContent = text || "";
      ui.msg.classList.toggle("ag-bad", !!bad || /^refused/.test(text || ""));
    }

    function buildLive() {
      ui.live.innerHTML = "";
      leafRows = {};
      if (!scene.live) { return; }
      ui.live.appendChild(h("h3", {text: "Inputs"}));
      ui.output = h("div", {cls: "ag-out ag-output"});
      ui.live.appendChild(ui.output);
      var list = h("div", {cls: "ag-leaves"});
      scene.leaves.forEach(function (leaf) {
        if (!(leaf.key in ranges)) {
          var span = Math.max(1, 2 * Math.abs(leaf.value));
          ranges[leaf.key] = [leaf.value - span, leaf.value + span];
        }
        var lo = ranges[leaf.key][0], hi = ranges[leaf.key][1];
        var range = h("input", {type: "range", min: String(lo), max: String(hi),
          step: String((hi - lo) / 200), value: String(leaf.value), "data-key": leaf.key,
          "aria-label": leaf.key});
        var box = h("input", {type: "number", step: "any", value: String(leaf.value),
          "data-key": leaf.key, "aria-label": leaf.key + " value"});
        var grad = h("div", {cls: "ag-leafgrad"});
        range.addEventListener("input", function () {
          box.value = range.value;
          var v = {}; v[leaf.key] = Number(range.value);
          send("set_leaves", {values: v});
        });
        box.addEventListener("change", function () {
          var x = Number(box.value);
          if (!isFinite(x)) { message("refused: " + leaf.key + " needs a number", true); return; }
          if (x < Number(range.min) || x > Number(range.max)) {
            var span = Math.max(1, 2 * Math.abs(x));
            ranges[leaf.key] = [x - span, x + span];
            range.min = String(x - span); range.max = String(x + span);
            range.step = String(span / 100);
          }
          range.value = String(x);
          var v = {}; v[leaf.key] = x;
          send("set_leaves", {values: v});
        });
        var row = h("div", {cls: "ag-leaf", "data-key": leaf.key},
                    [h("label", {text: leaf.key, title: leaf.key}), range, box, grad]);
        leafRows[leaf.key] = {range: range, box: box, grad: grad};
        list.appendChild(row);
      });
      ui.live.appendChild(list);
      ui.lr = h("input", {type: "number", step: "any", value: String(scene.lr),
                          cls: "ag-lr", "aria-label": "learning rate"});
      ui.step = h("button", {cls: "ag-gradstep", text: "Gradient step"});
      ui.checkButton = h("button", {cls: "ag-checkbtn", text: "Check"});
      ui.step.addEventListener("click", function () {
        send("gradient_step", {lr: Number(ui.lr.value)});
      });
      ui.checkButton.addEventListener("click", function () { send("check", {}); });
      ui.live.appendChild(h("div", {cls: "ag-row"}, [h("span", {text: "lr"}), ui.lr, ui.step,
                                                     ui.checkButton]));
      ui.msg = h("div", {cls: "ag-msg"});
      ui.live.appendChild(ui.msg);
      liveNumbers();
    }

    function liveNumbers() {
      if (!scene.live) { return; }
      ui.output.textContent = scene.output.name + " = " + scene.output.data +
        "   (grad " + scene.output.grad + ")";
      scene.leaves.forEach(function (leaf) {
        var row = leafRows[leaf.key];
        if (!row) { return; }
        if (document.activeElement !== row.box) {
          row.box.value = leaf.value === null ? "" : String(+leaf.value.toPrecision(6));
        }
        if (document.activeElement !== row.range) { row.range.value = String(leaf.value); }
        row.grad.textContent = "= " + leaf.text + "   grad " + leaf.grad;
      });
      message(scene.message);
    }

    function showCheck() {
      ui.check.innerHTML = "";
      var c = scene.check;
      if (!c) { return; }
      ui.check.appendChild(h("h3", {text: "Gradient check"}));
      var table = h("table", {cls: "ag-table"});
      table.appendChild(h("tr", {}, ["input", "analytic", "numeric", "abs err", "status"]
        .map(function (t) { return h("th", {text: t}); })));
      c.rows.forEach(function (r) {
        table.appendChild(h("tr", {cls: r.status === "FAIL" ? "ag-fail" : ""},
          [r.name, r.analytic, r.numeric, r.abs_err, r.status].map(function (t) {
            return h("td", {text: t});
          })));
      });
      ui.check.appendChild(table);
      if (c.blame) { ui.check.appendChild(h("pre", {cls: "ag-blame", text: c.blame})); }
      ui.check.appendChild(h("div", {cls: "ag-msg ag-verdict" + (c.ok ? "" : " ag-bad"),
                                     text: c.verdict}));
    }

    function showPanels() {
      var data = scene.panels || {};
      Object.keys(data).forEach(function (name) {
        var el = ui.panels.querySelector('[data-panel="' + name + '"]');
        if (!el) {
          el = h("div", {cls: "ag-panel", "data-panel": name});
          ui.panels.appendChild(el);
        }
        if (panels[name]) { panels[name](el, data[name], {send: host.send ? send : null}); }
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
        + BLANK + " : not computed yet. Drag to pan, wheel to zoom."}));
    }

    // -- a new scene from Python ---------------------------------------------------------
    function update(next) {
      var relayout = !!next.svg && next.svg !== scene.svg;
      var keep = current, atEnd = current === frames.length - 1;
      if (!next.svg) { next.svg = scene.svg; }
      scene = next;
      frames = scene.frames;
      ui.name.textContent = scene.title;
      if (relayout) { drawing(); fit(); }
      var sameLeaves = scene.live && Object.keys(leafRows).length === scene.leaves.length;
      if (!sameLeaves) { buildLive(); } else { liveNumbers(); }
      showCheck();
      showPanels();
      if (selected !== null && selected >= scene.inspector.length) { selected = null; }
      show(atEnd ? frames.length - 1 : keep);
    }

    // -- controls ------------------------------------------------------------------------
    function pause() {
      if (timer !== null) { clearInterval(timer); timer = null; }
      ui.play.textContent = "\u25b6 Play";
    }

    function play() {
      if (timer !== null) { pause(); return; }
      if (current === frames.length - 1) { show(0); }
      ui.play.textContent = "\u275a\u275a Pause";
      timer = setInterval(function () {
        if (current >= frames.length - 1) { pause(); } else { show(current + 1); }
      }, PLAY_MS);
    }

    ui.first.addEventListener("click", function () { pause(); show(0); });
    ui.prev.addEventListener("click", function () { pause(); show(current - 1); });
    ui.next.addEventListener("click", function () { pause(); show(current + 1); });
    ui.last.addEventListener("click", function () { pause(); show(frames.length - 1); });
    ui.play.addEventListener("click", play);
    ui.fit.addEventListener("click", fit);
    ui.zoomIn.addEventListener("click", function () { zoom(1.25); });
    ui.zoomOut.addEventListener("click", function () { zoom(1 / 1.25); });
    ui.slider.addEventListener("input", function () {
      pause(); show(parseInt(ui.slider.value, 10));
    });
    var keyTarget = host.keys === "document" ? document : root;
    keyTarget.addEventListener("keydown", function (e) {
      var tag = (e.target && e.target.tagName) || "";
      if (tag === "INPUT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) { return; }
      var moves = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0,
                   End: frames.length - 1};
      if (e.key in moves) { e.preventDefault(); pause(); show(moves[e.key]); }
      else if (e.key === " ") { e.preventDefault(); play(); }
      else if (e.key === "f" || e.key === "F") { fit(); }
      else if (e.key === "+" || e.key === "=") { zoom(1.25); }
      else if (e.key === "-") { zoom(1 / 1.25); }
      else { return; }
      e.stopPropagation();
    });
    if (window.ResizeObserver) {
      new ResizeObserver(function () { if (full) { fit(); } }).observe(ui.graph);
    }

    drawing();
    legend();
    buildLive();
    showCheck();
    showPanels();
    fit();
    ui.inspect.appendChild(h("div", {cls: "ag-hint", text: "Click a node to see how it was "
      + "computed, its local rule and its gradient as the chain-rule sum over its consumers."}));
    show(host.start === "end" ? frames.length - 1 : 0);
    if (host.subscribe) { host.subscribe(update); }
    return {show: show, update: update, inspect: inspect, fit: fit,
            get position() { return current; }, get scene() { return scene; }};
  }

  return {mount: mount, registerPanel: registerPanel};
})();
