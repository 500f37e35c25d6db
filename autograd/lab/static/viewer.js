/* The lab viewer, part 3 of 3: the timeline and the host. Every host (the static page, the
   local server's page, the notebook widget) calls AgLab.mount(element, host), where host is
     { scene: {...},                       the first scene (with its "svg")
       send: function (action, args) {},   live hosts only: ask Python to act; may return
                                           a promise of the new scene
       position: function (i) {},          optional: told the frame shown
       subscribe: function (onScene) {},   optional: new scenes pushed by Python
       start: "end", keys: "document" }    optional: open at the last frame; listen to
                                           keys on the whole page
   Frames are forward (values fill in) then backward (chain-rule steps); frame i is frames
   0..i applied to a blank drawing (viewer_draw.js). */
AgLab.mount = function (root, host) {
  "use strict";
  var h = AgLab.h, PLAY_MS = 900;
  var scene = host.scene, frames = scene.frames, current = 0, timer = null, selected = null;
  root.classList.add("ag-lab");
  root.setAttribute("tabindex", "0");
  root.innerHTML = "";

  function button(cls, title, text) { return h("button", {cls: cls, title: title, text: text}); }
  var ui = {
    name: h("span", {cls: "ag-name", text: scene.title}),
    first: button("ag-first", "first frame (Home)", "\u00ab"),
    prev: button("ag-prev", "previous step (Left arrow)", "\u25c0 Prev"),
    play: button("ag-play", "play / pause (Space)", "\u25b6 Play"),
    next: button("ag-next", "next step (Right arrow)", "Next \u25b6"),
    last: button("ag-last", "last frame (End)", "\u00bb"),
    slider: h("input", {cls: "ag-slider", type: "range", min: "0", step: "1", value: "0",
                        "aria-label": "frame"}),
    phase: h("span", {cls: "ag-phase"}), counter: h("span", {cls: "ag-counter"}),
    zoomOut: button("ag-zoomout", "zoom out (-)", "\u2212"),
    fit: button("ag-fit", "fit the graph to the window (F)", "Fit"),
    zoomIn: button("ag-zoomin", "zoom in (+)", "+"),
    graph: h("div", {cls: "ag-graph"}), title: h("div", {cls: "ag-title"}),
    text: h("pre", {cls: "ag-step"}), inspect: h("div", {cls: "ag-inspect"}),
    live: h("div", {cls: "ag-live"}), check: h("div", {cls: "ag-check"}),
    panels: h("div", {cls: "ag-panels"}), legend: h("div", {cls: "ag-legend"})
  };
  root.appendChild(h("div", {cls: "ag-top"}, [ui.name, ui.first, ui.prev, ui.play, ui.next,
    ui.last, ui.slider, ui.phase, ui.counter, ui.zoomOut, ui.fit, ui.zoomIn]));
  root.appendChild(h("div", {cls: "ag-main"}, [ui.graph, h("div", {cls: "ag-side"}, [
    ui.title, ui.text, h("h3", {text: "Inspector"}), ui.inspect, ui.live, ui.check, ui.panels,
    ui.legend])]));

  var drawing = AgLab.Drawing(ui.graph, function (k) { inspect(k); });
  var side = AgLab.Side(ui, host, {update: update});

  function inspect(k, quiet) {
    selected = k;
    drawing.select(k);
    side.inspect(scene.inspector[k], current);
    if (!quiet) { root.focus({preventScroll: true}); }
  }

  function show(i) {
    current = Math.max(0, Math.min(frames.length - 1, i));
    var f = frames[current], back = current >= scene.forward;
    drawing.paint(frames, current, back);
    ui.title.textContent = f.title;
    ui.text.textContent = f.text;
    ui.slider.max = String(frames.length - 1);
    ui.slider.value = String(current);
    ui.counter.textContent = current + " / " + (frames.length - 1);
    ui.phase.textContent = back ?
      "backward " + (current - scene.forward) + "/" + (frames.length - scene.forward - 1) :
      "forward " + current + "/" + (scene.forward - 1);
    ui.phase.classList.toggle("ag-back", back);
    if (selected !== null) { inspect(selected, true); }
    if (host.position) { host.position(current); }
  }

  function update(next) {  // a new scene from Python: same layout unless it brings an svg
    var relayout = !!next.svg && next.svg !== scene.svg;
    var atEnd = current === frames.length - 1, keep = current;
    if (!next.svg) { next.svg = scene.svg; }
    scene = next;
    frames = scene.frames;
    ui.name.textContent = scene.title;
    if (relayout) { drawing.load(scene); drawing.fit(); }
    side.live(scene);
    side.check(scene);
    side.panels(scene);
    if (selected !== null && selected >= scene.inspector.length) { selected = null; }
    show(atEnd ? frames.length - 1 : keep);
  }

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

  function go(i) { return function () { pause(); show(typeof i === "function" ? i() : i); }; }
  ui.first.addEventListener("click", go(0));
  ui.prev.addEventListener("click", go(function () { return current - 1; }));
  ui.next.addEventListener("click", go(function () { return current + 1; }));
  ui.last.addEventListener("click", go(function () { return frames.length - 1; }));
  ui.play.addEventListener("click", play);
  ui.fit.addEventListener("click", function () { drawing.fit(); });
  ui.zoomIn.addEventListener("click", function () { drawing.zoom(1.25); });
  ui.zoomOut.addEventListener("click", function () { drawing.zoom(1 / 1.25); });
  ui.slider.addEventListener("input", function () { pause(); show(parseInt(ui.slider.value, 10)); });
  (host.keys === "document" ? document : root).addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    var moves = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: frames.length - 1};
    if (e.key in moves) { pause(); show(moves[e.key]); }
    else if (e.key === " ") { play(); }
    else if (e.key === "f" || e.key === "F") { drawing.fit(); }
    else if (e.key === "+" || e.key === "=") { drawing.zoom(1.25); }
    else if (e.key === "-") { drawing.zoom(1 / 1.25); }
    else { return; }
    e.preventDefault();
    e.stopPropagation();
  });

  drawing.load(scene);
  side.legend();
  side.hint();
  side.live(scene);
  side.check(scene);
  side.panels(scene);
  drawing.fit();
  show(host.start === "end" ? frames.length - 1 : 0);
  if (host.subscribe) { host.subscribe(update); }
  return {show: show, update: update, inspect: inspect, fit: drawing.fit,
          get position() { return current; }, get scene() { return scene; }};
};
