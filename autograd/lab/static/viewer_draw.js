/* The lab viewer, part 1 of 3: the drawing. Graphviz laid the graph out once; this part
   finds the boxes and edges in that SVG, writes the texts of a frame into them, places
   each edge label on its own edge, and fits, zooms and pans through the viewBox. */
var AgLab = {panels: {}, BLANK: "\u2014"};

AgLab.h = function (tag, attrs, children) {
  "use strict";
  var el = document.createElement(tag);
  Object.keys(attrs || {}).forEach(function (k) {
    if (k === "text") { el.textContent = attrs[k]; }
    else if (k === "cls") { el.className = attrs[k]; }
    else { el.setAttribute(k, attrs[k]); }
  });
  (children || []).forEach(function (c) { if (c) { el.appendChild(c); } });
  return el;
};

/* Extra panels (live training): render(element, data) draws scene.panels[name]. */
AgLab.registerPanel = function (name, render) { "use strict"; AgLab.panels[name] = render; };

AgLab.Drawing = function (pane, onPick) {
  "use strict";
  var MIN_TEXT_PX = 11.1, FONT_UNITS = 12, MAX_SCALE = 1.6;  // text never below 11 px
  var FIELDS = ["max |param grad|", "data", "grad"], MARKS = ["ag-cur", "ag-kid", "ag-act",
    "ag-fwd", "ag-done", "ag-known", "ag-upd"];
  var svg = null, full = null, view = null, scene = null;
  var boxes = {}, boxText = {}, edgeText = {}, nodeOf = {};
  var drag = null, dragged = false;

  function load(next) {  // a new layout: find every box, field and edge label
    scene = next;
    pane.innerHTML = scene.svg;
    svg = pane.querySelector("svg");
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    var vb = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    full = {x: vb[0], y: vb[1], w: vb[2], h: vb[3]};
    boxes = {}; boxText = {}; edgeText = {}; nodeOf = {};
    svg.querySelectorAll("g.node").forEach(function (g) {
      boxes[g.id] = g;
      var fields = {};
      g.querySelectorAll("text").forEach(function (t) {
        FIELDS.some(function (f) {
          if (t.textContent.indexOf(f + " ") === 0) { fields[f] = t; return true; }
          return false;
        });
      });
      boxText[g.id] = fields;
    });
    svg.querySelectorAll("g.edge").forEach(function (g) {
      var t = g.querySelector("text");
      if (t && g.id) { edgeText[g.id] = t; }
    });
    svg.querySelectorAll("title").forEach(function (t) { t.textContent = ""; });
    Object.keys(scene.boxes).forEach(function (k) {
      var id = scene.boxes[k];
      if (!(id in nodeOf)) { nodeOf[id] = Number(k); }
      nodeOf[id + "op"] = Number(k);
    });
    Object.keys(scene.outputs || {}).forEach(function (id) { nodeOf[id] = scene.outputs[id]; });
    placeLabels();
    svg.addEventListener("click", function (e) {
      if (dragged) { return; }  // the end of a pan, not a click
      var g = e.target.closest ? e.target.closest("g.node") : null;
      if (g && g.id in nodeOf) { onPick(nodeOf[g.id]); }
    });
  }

  // Each edge label sits on its own edge: centred on a point of the edge's path, on a
  // white backing, moved along the path until it overlaps no label placed before it.
  function placeLabels() {
    var placed = [], spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];
    Object.keys(edgeText).forEach(function (id) {
      var t = edgeText[id], path = t.parentNode.querySelector("path");
      if (!path) { return; }
      var n = path.getTotalLength(), size = t.getBBox(), best = null;
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("dominant-baseline", "central");
      spots.some(function (f) {
        var q = path.getPointAtLength(n * f);
        var box = {x: q.x - size.width / 2, y: q.y - size.height / 2, w: size.width,
                   h: size.height};
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
      [["x", best.box.x - 1], ["y", best.box.y], ["width", best.box.w + 2],
       ["height", best.box.h]].forEach(function (a) { bg.setAttribute(a[0], String(a[1])); });
      t.parentNode.insertBefore(bg, t);
      placed.push(best.box);
    });
  }

  function elementOf(k) { return boxes[scene.boxes[k]] || null; }

  function mark(el, cls) { if (el) { el.classList.add(cls); } }

  function paint(frames, current, backward) {  // frames 0..current applied to a blank drawing
    var texts = {}, labels = {}, j, f;
    for (j = 0; j <= current; j++) {
      frames[j].set.forEach(function (s) { texts[s[0] + "\u0000" + s[1]] = s[2]; });
      (frames[j].labels || []).forEach(function (l) { labels[l[0]] = l[1]; });
    }
    svg.querySelectorAll("." + MARKS.join(", .")).forEach(function (el) {
      MARKS.forEach(function (m) { el.classList.remove(m); });
    });
    Object.keys(boxText).forEach(function (id) {
      Object.keys(boxText[id]).forEach(function (name) {
        var key = id + "\u0000" + name, known = key in texts;
        boxText[id][name].textContent = name + " " + (known ? texts[key] : AgLab.BLANK);
        if (known && name === "data" && texts[key] !== AgLab.BLANK) {
          mark(boxes[id], "ag-done");
          mark(boxes[id + "op"], "ag-done");
        }
      });
    });
    Object.keys(labels).forEach(function (id) {
      if (edgeText[id]) {
        edgeText[id].textContent = labels[id];
        mark(edgeText[id].parentNode, "ag-known");
      }
    });
    f = frames[current];
    if (f.node !== null) {
      mark(elementOf(f.node), "ag-cur");
      mark(boxes[scene.boxes[f.node] + "op"], "ag-cur");
    }
    f.kids.forEach(function (k) { if (k !== f.node) { mark(elementOf(k), "ag-kid"); } });
    f.edges.forEach(function (id) {
      mark(svg.querySelector('g.edge[id="' + id + '"]'), backward ? "ag-act" : "ag-fwd");
    });
    if (current > 0) {
      f.set.forEach(function (s) { mark(boxText[s[0]] && boxText[s[0]][s[1]], "ag-upd"); });
    }
    reveal([f.node].concat(f.kids).filter(function (k) { return k !== null; }));
  }

  function select(k) {
    svg.querySelectorAll(".ag-sel").forEach(function (el) { el.classList.remove("ag-sel"); });
    mark(elementOf(k), "ag-sel");
  }

  // -- fitting, zooming, panning (all through the viewBox) --------------------------------
  function setView(v) {
    view = v;
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
  }

  function fit() {  // the whole graph if its text stays >= 11 px, else its inputs' corner
    var pw = pane.clientWidth || 600, ph = pane.clientHeight || 400, pad = 8;
    var s = Math.min((pw - 2 * pad) / full.w, (ph - 2 * pad) / full.h, MAX_SCALE);
    s = Math.max(s, scene.overview ? 0.05 : MIN_TEXT_PX / FONT_UNITS);  // a live overview opens whole
    var w = pw / s, hgt = ph / s;
    setView({x: full.w <= w ? full.x - (w - full.w) / 2 : full.x - pad / s,
             y: full.h <= hgt ? full.y - (hgt - full.h) / 2 : full.y - pad / s, w: w, h: hgt});
  }

  function zoom(factor, cx, cy) {
    var pw = pane.clientWidth, ph = pane.clientHeight;
    var s = Math.max(Math.min(pw / view.w * factor, 4), 0.1);
    var fx = cx === undefined ? 0.5 : cx / pw, fy = cy === undefined ? 0.5 : cy / ph;
    var gx = view.x + fx * view.w, gy = view.y + fy * view.h, w = pw / s, hgt = ph / s;
    setView({x: gx - fx * w, y: gy - fy * hgt, w: w, h: hgt});
  }

  function reveal(ks) {  // pan so these nodes are in view, if they are not
    var s = pane.clientWidth / view.w, r = pane.getBoundingClientRect(), box = null;
    ks.forEach(function (k) {
      var el = elementOf(k);
      if (!el) { return; }
      var b = el.getBoundingClientRect();
      box = box ? {left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                   top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom)} : b;
    });
    if (!box) { return; }
    var dx = box.left < r.left || box.right > r.right ?
      ((box.left + box.right) / 2 - (r.left + r.right) / 2) / s : 0;
    var dy = box.top < r.top || box.bottom > r.bottom ?
      ((box.top + box.bottom) / 2 - (r.top + r.bottom) / 2) / s : 0;
    if (dx || dy) { setView({x: view.x + dx, y: view.y + dy, w: view.w, h: view.h}); }
  }

  pane.addEventListener("mousedown", function (e) {
    drag = {x: e.clientX, y: e.clientY, view: view};
    dragged = false;
    pane.classList.add("ag-drag");
  });
  window.addEventListener("mousemove", function (e) {
    if (!drag) { return; }
    var s = pane.clientWidth / view.w;
    var dx = (e.clientX - drag.x) / s, dy = (e.clientY - drag.y) / s;
    if (Math.abs(dx) + Math.abs(dy) > 2) { dragged = true; }
    setView({x: drag.view.x - dx, y: drag.view.y - dy, w: view.w, h: view.h});
  });
  window.addEventListener("mouseup", function () {
    drag = null;
    pane.classList.remove("ag-drag");
  });
  pane.addEventListener("wheel", function (e) {
    e.preventDefault();
    var r = pane.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
  }, {passive: false});
  if (window.ResizeObserver) {
    new ResizeObserver(function () { if (full) { fit(); } }).observe(pane);
  }

  return {load: load, paint: paint, select: select, fit: fit, zoom: zoom,
          ready: function () { return svg !== null; }};
};
