/* The "live" panel (LiveSource.panel_live): training, watched in the lab's viewer: controls, loss curve, decision boundary with
   the data points, per-layer gradient norms, and |grad| colours on the sample's graph.
   Python computes every number; this file only draws the "live" panel of a scene and
   sends pause / resume / step / pick actions through the host; the sample's graph is
   coloured through the drawing's API. */
(function () {
  "use strict";
  var NS = "http://www.w3.org/2000/svg";
  var W = 326, PLOT_H = 150, BOUNDARY = 326;
  var CLASS_COLOURS = ["#d6604d", "#4393c3", "#5aae61", "#9970ab", "#e08214", "#35978f"];

  function h(tag, cls, text) {
    var el = document.createElement(tag);
    if (cls) { el.className = cls; }
    if (text !== undefined) { el.textContent = text; }
    return el;
  }

  function s(tag, attrs) {
    var el = document.createElementNS(NS, tag);
    Object.keys(attrs || {}).forEach(function (k) { el.setAttribute(k, attrs[k]); });
    return el;
  }

  function num(x) {
    if (x === null || x === undefined) { return "\u2014"; }
    var a = Math.abs(x);
    return a !== 0 && (a < 1e-3 || a >= 1e4) ? x.toExponential(2) : x.toFixed(4);
  }

  function build(el, send) {
    var ui = {send: send};
    el.innerHTML = "";
    el.classList.add("lv-live");
    var bar = h("div", "lv-bar");
    ui.state = h("span", "lv-state");
    ui.step = h("span", "lv-step");
    ui.pause = h("button", "lv-pause", "\u275a\u275a Pause");
    ui.resume = h("button", "lv-resume", "\u25b6 Resume");
    ui.one = h("button", "lv-stepbtn", "Step");
    ui.pause.title = "pause training after this step";
    ui.one.title = "while paused: run exactly one training step";
    [ui.state, ui.step, ui.pause, ui.resume, ui.one].forEach(function (c) { bar.appendChild(c); });
    ui.pause.addEventListener("click", function () { act("pause"); });
    ui.resume.addEventListener("click", function () { act("resume"); });
    ui.one.addEventListener("click", function () { act("step"); });
    el.appendChild(bar);
    ui.msg = h("div", "lv-msg");
    el.appendChild(ui.msg);

    el.appendChild(h("h3", "", "Loss"));
    ui.loss = s("svg", {"class": "lv-loss", width: W, height: PLOT_H,
                        viewBox: "0 0 " + W + " " + PLOT_H});
    el.appendChild(ui.loss);
    ui.metrics = h("div", "lv-metrics");
    el.appendChild(ui.metrics);

    ui.boundaryHead = h("h3", "", "Decision boundary (click a point to pick the sample)");
    el.appendChild(ui.boundaryHead);
    ui.wrap = h("div", "lv-boundary-wrap");
    ui.canvas = h("canvas", "lv-boundary");
    ui.canvas.width = BOUNDARY; ui.canvas.height = BOUNDARY;
    ui.wrap.appendChild(ui.canvas);
    el.appendChild(ui.wrap);
    ui.canvas.addEventListener("click", function (e) { pickAt(ui, e); });

    el.appendChild(h("h3", "", "Gradient norm per layer (log scale)"));
    ui.layers = h("div", "lv-layers");
    el.appendChild(ui.layers);
    el.appendChild(h("h3", "", "Sample graph colours: |grad|"));
    ui.legend = h("div", "lv-legend");
    el.appendChild(ui.legend);

    function act(name, args) {
      if (!ui.send) { ui.msg.textContent = "this page is a saved run: nothing to control"; return; }
      Promise.resolve(ui.send(name, args || {})).catch(function (err) {
        ui.msg.textContent = "refused: " + err;
      });
    }
    ui.act = act;
    return ui;
  }

  // -- the loss curve -----------------------------------------------------------------------
  function curve(ui, d) {
    var svg = ui.loss, rows = d.steps.rows, keys = d.steps.keys, li = keys.indexOf("loss");
    while (svg.firstChild) { svg.removeChild(svg.firstChild); }
    var pts = [], i;
    for (i = 0; i < rows.length; i++) {
      if (li >= 0 && rows[i][2 + li] !== null) { pts.push([rows[i][0], rows[i][2 + li]]); }
    }
    var val = (d.epochs || []).filter(function (e) {
      return e.val_loss !== null && e.val_loss !== undefined;
    }).map(function (e) { return [e.step, e.val_loss]; });
    svg.setAttribute("data-points", String(pts.length));
    if (!pts.length) { return; }
    var all = pts.concat(val), x0 = pts[0][0], x1 = pts[pts.length - 1][0];
    var y0 = Math.min.apply(null, all.map(function (p) { return p[1]; }));
    var y1 = Math.max.apply(null, all.map(function (p) { return p[1]; }));
    if (x1 === x0) { x1 = x0 + 1; }
    if (y1 === y0) { y1 = y0 + 1; y0 -= 1; }
    var L = 44, R = 6, T = 6, B = 18;
    function X(x) { return L + (x - x0) / (x1 - x0) * (W - L - R); }
    function Y(y) { return T + (1 - (y - y0) / (y1 - y0)) * (PLOT_H - T - B); }
    svg.appendChild(s("rect", {x: L, y: T, width: W - L - R, height: PLOT_H - T - B,
                               fill: "#fff", stroke: "#ccc"}));
    [y0, (y0 + y1) / 2, y1].forEach(function (y) {
      var t = s("text", {x: L - 4, y: Y(y) + 4, "text-anchor": "end", "font-size": 11,
                         fill: "#555"});
      t.textContent = num(y);
      svg.appendChild(t);
    });
    var lab = s("text", {x: W - R, y: PLOT_H - 4, "text-anchor": "end", "font-size": 11,
                         fill: "#555"});
    lab.textContent = "step " + x1;
    svg.appendChild(lab);
    var path = pts.map(function (p, j) {
      return (j ? "L" : "M") + X(p[0]).toFixed(1) + "," + Y(p[1]).toFixed(1);
    }).join("");
    svg.appendChild(s("path", {"class": "lv-train", d: path, fill: "none", stroke: "#2166ac",
                               "stroke-width": 1.5}));
    val.forEach(function (p) {
      svg.appendChild(s("circle", {"class": "lv-val", cx: X(p[0]), cy: Y(p[1]), r: 3,
                                   fill: "#d6604d"}));
    });
    var last = d.epochs && d.epochs.length ? d.epochs[d.epochs.length - 1] : null;
    var text = "loss " + num(pts[pts.length - 1][1]);
    if (last) {
      text = Object.keys(last).filter(function (k) { return k !== "epoch" && k !== "step"; })
        .map(function (k) { return k + " " + num(last[k]); }).join(" \u00b7 ");
      text = "epoch " + (last.epoch + 1) + ": " + text;
    } else {
      keys.forEach(function (k, j) {
        if (k !== "loss") { text += " \u00b7 " + k + " " + num(rows[rows.length - 1][2 + j]); }
      });
    }
    ui.metrics.textContent = text;
    ui.metrics.setAttribute("data-loss", String(pts[pts.length - 1][1]));
  }

  // -- the decision boundary ----------------------------------------------------------------
  function mix(a, b, t) {
    return [0, 1, 2].map(function (i) { return Math.round(a[i] + (b[i] - a[i]) * t); });
  }

  function rgb(hex) {
    return [1, 3, 5].map(function (i) { return parseInt(hex.slice(i, i + 2), 16); });
  }

  function boundary(ui, d) {
    var b = d.boundary, pts = d.points, c = ui.canvas, ctx = c.getContext("2d");
    var shown = !!(b && pts);
    ui.wrap.style.display = shown ? "" : "none";
    ui.boundaryHead.style.display = shown ? "" : "none";
    if (!shown) { return; }
    var n = b.size, img = ctx.createImageData(n, n), i, col;
    var spread = 0;
    if (b.kind === "score") {
      b.z.forEach(function (z) { spread = Math.max(spread, Math.abs(z - b.threshold)); });
    }
    for (i = 0; i < n * n; i++) {
      if (b.kind === "score") {
        var t = Math.tanh(2.5 * (b.z[i] - b.threshold) / (spread || 1));
        col = t >= 0 ? mix([247, 247, 247], [146, 197, 222], t)
                     : mix([247, 247, 247], [244, 165, 130], -t);
      } else {
        col = mix([255, 255, 255], rgb(CLASS_COLOURS[b.cls[i] % CLASS_COLOURS.length]),
                  0.25 + 0.5 * b.z[i]);
      }
      var row = n - 1 - Math.floor(i / n), at = (row * n + (i % n)) * 4;  // y grows upwards
      img.data[at] = col[0]; img.data[at + 1] = col[1]; img.data[at + 2] = col[2];
      img.data[at + 3] = 255;
    }
    var off = document.createElement("canvas");
    off.width = n; off.height = n;
    off.getContext("2d").putImageData(img, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, c.width, c.height);
    ui.map = function (p) {
      return [(p[0] - b.x[0]) / (b.x[1] - b.x[0]) * c.width,
              (1 - (p[1] - b.y[0]) / (b.y[1] - b.y[0])) * c.height];
    };
    var labels = pts.label;
    pts.xy.forEach(function (p, j) {
      var q = ui.map(p), lab = labels ? labels[j] : 0;
      var k = labels ? (b.kind === "classes" ? lab : (lab > b.threshold ? 1 : 0)) : 0;
      ctx.beginPath();
      ctx.arc(q[0], q[1], 4, 0, 2 * Math.PI);
      ctx.fillStyle = b.kind === "classes" ? CLASS_COLOURS[k % CLASS_COLOURS.length]
                                           : (k ? "#2166ac" : "#b2182b");
      ctx.fill();
      ctx.lineWidth = 1; ctx.strokeStyle = "#222"; ctx.stroke();
    });
    var chosen = d.sample && d.sample.index;
    if (chosen !== undefined && chosen !== null && chosen < pts.xy.length) {
      var q = ui.map(pts.xy[chosen]);
      ctx.beginPath();
      ctx.arc(q[0], q[1], 8, 0, 2 * Math.PI);
      ctx.lineWidth = 3; ctx.strokeStyle = "#111"; ctx.stroke();
    }
    ui.points = pts.xy;
    c.setAttribute("data-redraw", String(d.redraw));
  }

  function pickAt(ui, e) {
    if (!ui.points || !ui.map) { return; }
    var r = ui.canvas.getBoundingClientRect();
    var x = (e.clientX - r.left) * ui.canvas.width / r.width;
    var y = (e.clientY - r.top) * ui.canvas.height / r.height;
    var best = -1, dist = 144;  // within 12 px
    ui.points.forEach(function (p, j) {
      var q = ui.map(p), dd = (q[0] - x) * (q[0] - x) + (q[1] - y) * (q[1] - y);
      if (dd < dist) { dist = dd; best = j; }
    });
    if (best >= 0) { ui.act("pick", {index: best}); }
  }

  // -- gradient norms and activity per layer --------------------------------------------------
  function layers(ui, d) {
    var rows = d.layers || [];
    ui.layers.innerHTML = "";
    var logs = rows.map(function (r) { return r.grad_norm > 0 ? Math.log10(r.grad_norm) : null; });
    var known = logs.filter(function (v) { return v !== null; });
    var lo = known.length ? Math.floor(Math.min.apply(null, known)) - 1 : -1;
    var hi = known.length ? Math.ceil(Math.max.apply(null, known)) : 0;
    rows.forEach(function (r, i) {
      var line = h("div", "lv-layer");
      line.appendChild(h("span", "lv-lname", r.name));
      var track = h("span", "lv-track"), fill = h("span", "lv-fill");
      var share = logs[i] === null ? 0 : (logs[i] - lo) / Math.max(1, hi - lo);
      fill.style.width = (100 * Math.max(0.02, share)).toFixed(1) + "%";
      track.appendChild(fill);
      line.appendChild(track);
      var text = num(r.grad_norm);
      if (r.dead !== undefined) {
        var what = r.activation === "relu" ? "dead" : "saturated";
        text += "  " + what + " " + Math.round(100 * r.dead) + "%";
      }
      line.appendChild(h("span", "lv-lval", text));
      line.title = r.name + " (" + (r.activation || "?") + ", " + r.units + " units): |grad| " +
        num(r.grad_norm) + (r.dead !== undefined ? "; units inactive on every sample " +
        Math.round(100 * r.dead) + "%, inactive (sample, unit) pairs " +
        Math.round(100 * r.inactive) + "%" : "");
      ui.layers.appendChild(line);
    });
  }

  // A saved run's frame: the curves and epochs up to the step it shows.
  function upTo(d) {
    if (d.state !== "saved" || d.step === undefined || !d.steps) { return d; }
    return Object.assign({}, d, {
      steps: {keys: d.steps.keys, rows: d.steps.rows.filter(function (r) { return r[0] <= d.step; })},
      epochs: (d.epochs || []).filter(function (e) { return e.step <= d.step; })});
  }

  function legend(ui, d) {
    ui.legend.innerHTML = "";
    ((d.sample && d.sample.legend) || []).forEach(function (row) {
      var line = h("div", "lv-legrow"), sw = h("span", "lv-swatch");
      sw.style.background = row[0];
      line.appendChild(sw);
      line.appendChild(document.createTextNode(row[1]));
      ui.legend.appendChild(line);
    });
  }

  function render(el, d, api) {
    d = upTo(d);
    var ui = el._lv;
    var send = api && api.send && d.state !== "saved" ? api.send : null;
    if (!ui) { ui = el._lv = build(el, send); }
    ui.send = send;
    var state = d.state || "running";
    ui.state.textContent = state;
    ui.state.className = "lv-state lv-" + state;
    ui.step.textContent = "step " + (d.step === undefined ? "\u2014" : d.step) +
      " \u00b7 epoch " + ((d.epoch || 0) + 1);
    ui.step.setAttribute("data-step", String(d.step));
    var live = state !== "finished" && state !== "saved" && !!ui.send;
    ui.pause.disabled = !live || state === "paused";
    ui.resume.disabled = !live || state !== "paused";
    ui.one.disabled = !live || state !== "paused";
    ui.msg.textContent = d.message || "";
    curve(ui, d);
    boundary(ui, d);
    layers(ui, d);
    legend(ui, d);
    if (api && api.drawing) { api.drawing.colour((d.sample && d.sample.fill) || {}); }
  }

  registerPanel("live", render);
})();
