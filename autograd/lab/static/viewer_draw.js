/* The drawing. Graphviz laid the graph out once; this part finds the boxes and edges in
   that SVG, writes the texts of a frame into them, places each edge label on its own edge,
   and fits, zooms and pans through the viewBox. Everything else (the side panel, panels)
   reaches the SVG only through the API Drawing returns. */

function Drawing(pane, onPick) {
  const MIN_TEXT_PX = 11.1, FONT_UNITS = 12, MAX_SCALE = 1.6, OPEN_TEXT_PX = 7;
  const FIELDS = ["max |param grad|", "data", "grad"];
  const MARKS = ["ag-cur", "ag-kid", "ag-act", "ag-fwd", "ag-done", "ag-known", "ag-upd",
                 "ag-ask"];
  const cleanups = [];
  let svg = null, full = null, view = null, scene = null, coloured = [];
  let boxes = {}, boxText = {}, edgeText = {}, nodeOf = {};
  let drag = null, dragged = false;

  function load(next) {  // a new layout: find every box, field and edge label
    scene = next;
    pane.innerHTML = scene.svg;
    svg = pane.querySelector("svg");
    svg.removeAttribute("width");
    svg.removeAttribute("height");
    const vb = svg.getAttribute("viewBox").split(/[\s,]+/).map(Number);
    full = {x: vb[0], y: vb[1], w: vb[2], h: vb[3]};
    boxes = {}; boxText = {}; edgeText = {}; nodeOf = {}; coloured = [];
    svg.querySelectorAll("g.node").forEach((g) => {
      boxes[g.id] = g;
      const fields = {};
      g.querySelectorAll("text").forEach((t) => {
        FIELDS.some((f) => {
          if (t.textContent.indexOf(f + " ") === 0) { fields[f] = t; return true; }
          return false;
        });
      });
      boxText[g.id] = fields;
    });
    svg.querySelectorAll("g.edge").forEach((g) => {
      const t = g.querySelector("text");
      if (t && g.id) { edgeText[g.id] = t; }
    });
    svg.querySelectorAll("title").forEach((t) => { t.textContent = ""; });
    Object.keys(scene.boxes).forEach((k) => {
      const id = scene.boxes[k];
      if (!(id in nodeOf)) { nodeOf[id] = Number(k); }
      nodeOf[id + "op"] = Number(k);
    });
    Object.keys(scene.outputs || {}).forEach((id) => { nodeOf[id] = scene.outputs[id]; });
    placeLabels();
  }

  // Each edge label sits on its own edge: centred on a point of the edge's path, on a
  // white backing, moved along the path until it overlaps no label placed before it.
  function placeLabels() {
    const placed = [], spots = [0.5, 0.4, 0.6, 0.3, 0.7, 0.22, 0.78, 0.15, 0.85];
    Object.keys(edgeText).forEach((id) => {
      const t = edgeText[id], path = t.parentNode.querySelector("path");
      if (!path) { return; }
      const n = path.getTotalLength(), size = t.getBBox();
      let best = null;
      t.setAttribute("text-anchor", "middle");
      t.setAttribute("dominant-baseline", "central");
      spots.some((f) => {
        const q = path.getPointAtLength(n * f);
        const box = {x: q.x - size.width / 2, y: q.y - size.height / 2, w: size.width,
                     h: size.height};
        const clear = placed.every((o) => box.x + box.w <= o.x || o.x + o.w <= box.x ||
                                          box.y + box.h <= o.y || o.y + o.h <= box.y);
        if (best === null || clear) { best = {q: q, box: box}; }
        return clear;
      });
      t.setAttribute("x", String(best.q.x));
      t.setAttribute("y", String(best.q.y));
      const bg = document.createElementNS("http://www.w3.org/2000/svg", "rect");
      bg.setAttribute("class", "ag-labelbg");
      [["x", best.box.x - 1], ["y", best.box.y], ["width", best.box.w + 2],
       ["height", best.box.h]].forEach((a) => bg.setAttribute(a[0], String(a[1])));
      t.parentNode.insertBefore(bg, t);
      placed.push(best.box);
    });
  }

  function elementOf(k) { return boxes[scene.boxes[k]] || null; }

  function mark(el, cls) { if (el) { el.classList.add(cls); } }

  function paint(frames, current, backward) {  // frames 0..current applied to a blank drawing
    const texts = {}, labels = {};
    for (let j = 0; j <= current; j++) {
      frames[j].set.forEach((s) => { texts[s[0] + "\u0000" + s[1]] = s[2]; });
      (frames[j].labels || []).forEach((l) => { labels[l[0]] = l[1]; });
    }
    svg.querySelectorAll("." + MARKS.join(", .")).forEach((el) => {
      MARKS.forEach((m) => el.classList.remove(m));
    });
    Object.keys(boxText).forEach((id) => {
      Object.keys(boxText[id]).forEach((name) => {
        const key = id + "\u0000" + name, known = key in texts;
        boxText[id][name].textContent = name + " " + (known ? texts[key] : BLANK);
        if (known && name === "data" && texts[key] !== BLANK) {
          mark(boxes[id], "ag-done");
          mark(boxes[id + "op"], "ag-done");
        }
      });
    });
    Object.keys(edgeText).forEach((id) => {
      if (!(id in labels)) { return; }
      edgeText[id].textContent = labels[id];
      mark(edgeText[id].parentNode, "ag-known");
    });
    const f = frames[current];
    if (f.node !== null) {
      mark(elementOf(f.node), "ag-cur");
      mark(boxes[scene.boxes[f.node] + "op"], "ag-cur");
    }
    f.kids.forEach((k) => { if (k !== f.node) { mark(elementOf(k), "ag-kid"); } });
    f.edges.forEach((id) => {
      mark(svg.querySelector('g.edge[id="' + id + '"]'), backward ? "ag-act" : "ag-fwd");
    });
    if (current > 0) {
      f.set.forEach((s) => mark(boxText[s[0]] && boxText[s[0]][s[1]], "ag-upd"));
    }
    reveal([f.node].concat(f.kids).filter((k) => k !== null));
  }

  function select(k) {
    svg.querySelectorAll(".ag-sel").forEach((el) => el.classList.remove("ag-sel"));
    mark(elementOf(k), "ag-sel");
  }

  /** Mark the boxes predict mode asks about (after paint, which clears the marks). */
  function ask(ks) { ks.forEach((k) => mark(elementOf(k), "ag-ask")); }

  /** Colour boxes (a panel's |grad| heat map): {box id: [fill, text colour]}. */
  function colour(fills) {
    coloured.forEach((el) => { el.style.fill = ""; });
    coloured = [];
    Object.keys(fills || {}).forEach((id) => {
      const g = boxes[id];
      if (!g) { return; }
      g.querySelectorAll("polygon, path").forEach((p) => { p.style.fill = fills[id][0]; coloured.push(p); });
      g.querySelectorAll("text").forEach((t) => { t.style.fill = fills[id][1] || ""; coloured.push(t); });
    });
  }

  // -- fitting, zooming, panning (all through the viewBox) --------------------------------
  function setView(v) {
    view = v;
    svg.setAttribute("viewBox", [v.x, v.y, v.w, v.h].join(" "));
  }

  function size() { return [pane.clientWidth || 600, pane.clientHeight || 400]; }

  function wholeScale() {
    const [pw, ph] = size(), pad = 8;
    return Math.min((pw - 2 * pad) / full.w, (ph - 2 * pad) / full.h, MAX_SCALE);
  }

  function fit() {  // every node in the pane, however small its text gets
    const [pw, ph] = size(), s = wholeScale(), w = pw / s, hgt = ph / s;
    setView({x: full.x - (w - full.w) / 2, y: full.y - (hgt - full.h) / 2, w: w, h: hgt});
  }

  function readable(ks) {  // text at a readable size, around these nodes (or the inputs)
    const [pw, ph] = size(), s = Math.max(MIN_TEXT_PX / FONT_UNITS, Math.min(wholeScale(), 1));
    const w = pw / s, hgt = ph / s, pad = 8 / s;
    setView({x: full.w <= w ? full.x - (w - full.w) / 2 : full.x - pad,
             y: full.h <= hgt ? full.y - (hgt - full.h) / 2 : full.y - pad, w: w, h: hgt});
    if (ks && ks.length) { reveal(ks, true); }
  }

  function open() {  // the whole graph when its text stays legible, else a readable corner
    if (scene.overview || wholeScale() * FONT_UNITS >= OPEN_TEXT_PX) { fit(); }
    else { readable(); }
  }

  function zoom(factor, cx, cy) {
    const [pw, ph] = size(), s = Math.max(Math.min(pw / view.w * factor, 4), 0.02);
    const fx = cx === undefined ? 0.5 : cx / pw, fy = cy === undefined ? 0.5 : cy / ph;
    const gx = view.x + fx * view.w, gy = view.y + fy * view.h, w = pw / s, hgt = ph / s;
    setView({x: gx - fx * w, y: gy - fy * hgt, w: w, h: hgt});
  }

  function reveal(ks, centre) {  // pan so these nodes are in view, if they are not
    const s = pane.clientWidth / view.w, r = pane.getBoundingClientRect();
    let box = null;
    ks.forEach((k) => {
      const el = elementOf(k);
      if (!el) { return; }
      const b = el.getBoundingClientRect();
      box = box ? {left: Math.min(box.left, b.left), right: Math.max(box.right, b.right),
                   top: Math.min(box.top, b.top), bottom: Math.max(box.bottom, b.bottom)} : b;
    });
    if (!box || !s) { return; }
    const outX = centre || box.left < r.left || box.right > r.right;
    const outY = centre || box.top < r.top || box.bottom > r.bottom;
    const dx = outX ? ((box.left + box.right) / 2 - (r.left + r.right) / 2) / s : 0;
    const dy = outY ? ((box.top + box.bottom) / 2 - (r.top + r.bottom) / 2) / s : 0;
    if (dx || dy) { setView({x: view.x + dx, y: view.y + dy, w: view.w, h: view.h}); }
  }

  // Panning: a drag captures the pointer (so no listener on the window); a click picks.
  listen(cleanups, pane, "pointerdown", (e) => {
    if (e.button !== 0) { return; }
    drag = {x: e.clientX, y: e.clientY, view: view, id: e.pointerId};
    dragged = false;
  });
  listen(cleanups, pane, "pointermove", (e) => {
    if (!drag) { return; }
    const s = pane.clientWidth / view.w;
    const dx = (e.clientX - drag.x) / s, dy = (e.clientY - drag.y) / s;
    if (!dragged && Math.abs(dx * s) + Math.abs(dy * s) > 3) {
      dragged = true;
      pane.setPointerCapture(drag.id);
      pane.classList.add("ag-drag");
    }
    if (dragged) { setView({x: drag.view.x - dx, y: drag.view.y - dy, w: view.w, h: view.h}); }
  });
  const drop = () => { drag = null; pane.classList.remove("ag-drag"); };
  listen(cleanups, pane, "pointerup", drop);
  listen(cleanups, pane, "pointercancel", drop);
  listen(cleanups, pane, "click", (e) => {
    if (dragged) { dragged = false; return; }  // the end of a pan, not a click
    const g = e.target.closest ? e.target.closest("g.node") : null;
    if (g && g.id in nodeOf) { onPick(nodeOf[g.id]); }
  });
  listen(cleanups, pane, "wheel", (e) => {
    e.preventDefault();
    const r = pane.getBoundingClientRect();
    zoom(e.deltaY < 0 ? 1.15 : 1 / 1.15, e.clientX - r.left, e.clientY - r.top);
  }, {passive: false});
  if (window.ResizeObserver) {
    let last = null;
    const observer = new ResizeObserver(() => {
      const now = size().join("x");
      if (full && now !== last) { last = now; open(); }
    });
    observer.observe(pane);
    cleanups.push(() => observer.disconnect());
  }

  function destroy() { cleanups.splice(0).forEach((f) => f()); }

  return {load, paint, select, ask, colour, fit, readable, open, zoom, destroy,
          ready: () => svg !== null};
}
