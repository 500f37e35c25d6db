/* The viewer: render({model, el}) draws the lab for a host's model and returns its
   cleanup (anywidget's front-end module shape). The model has get/set/on/off/send (and
   save_changes if it syncs: anywidget's; a page's small model in viewer_hosts.js); its keys
   (LabModel) hold all the page's state. Frames are forward (values fill in) then backward
   (chain-rule steps); every host opens at frame 0, and "»" (End) is a deliberate jump.
   On a page (not a notebook) a Share button makes a lesson link (viewer_link.js); the
   model's `hide` names the groups of controls not shown. */

function render({model, el}) {
  const PLAY_MS = 900, cleanups = [];
  let scene = withSvg(), frames = scene.frames, current = 0, timer = null, selected = null;
  let timeline = Timeline(scene);
  const root = h("div", {cls: "ag-lab", tabindex: "0"});
  const onPage = el.classList.contains("ag-page");
  if (!onPage) { root.classList.add("ag-embedded"); }
  el.appendChild(root);

  function withSvg() { return Object.assign({}, model.get("scene"), {svg: model.get("svg")}); }
  function on(event, fn) { model.on(event, fn); cleanups.push(() => model.off(event, fn)); }
  function save(key, value) {  // anywidget's models sync on save_changes; a host may have none
    model.set(key, value);
    if (model.save_changes) { model.save_changes(); }
  }

  function button(cls, title, text) { return h("button", {cls: cls, title: title, text: text}); }
  const ui = {
    name: h("span", {cls: "ag-name", text: scene.title}),
    first: button("ag-first", "first frame (Home)", "\u00ab"),
    prev: button("ag-prev", "previous step (Left arrow)", "\u25c0 Prev"),
    play: button("ag-play", "play / pause (Space)", "\u25b6 Play"),
    next: button("ag-next", "next step (Right arrow)", "Next \u25b6"),
    last: button("ag-last", "jump to the end: every value and gradient (End)", "\u00bb"),
    slider: h("input", {cls: "ag-slider", type: "range", min: "0", step: "1", value: "0",
                        "aria-label": "frame"}),
    phase: h("span", {cls: "ag-phase"}), counter: h("span", {cls: "ag-counter"}),
    quiz: h("input", {type: "checkbox", cls: "ag-quizmode"}),
    zoomOut: button("ag-zoomout", "zoom out (-)", "\u2212"),
    fit: button("ag-fit", "fit every node in the pane (F)", "Fit"),
    readable: button("ag-readable", "readable size: text at 12 px around this step (R)", "1:1"),
    zoomIn: button("ag-zoomin", "zoom in (+)", "+"),
    share: button("ag-sharebtn", "a lesson link: this page as it is now, some controls hidden " +
                  "if you like", "Share"),
    sharePanel: h("div", {cls: "ag-share"}),
    graph: h("div", {cls: "ag-graph"}), title: h("div", {cls: "ag-title"}),
    text: h("pre", {cls: "ag-step"}), inspect: h("div", {cls: "ag-inspect"}),
    live: h("div", {cls: "ag-live"}), panels: h("div", {cls: "ag-panels"}),
    legend: h("div", {cls: "ag-legend"}), predict: h("div", {cls: "ag-quiz"})
  };
  const toggle = h("label", {cls: "ag-quiztoggle", title: "predict mode: type each value and " +
    "gradient before the lab shows it"}, [ui.quiz, document.createTextNode(" Predict")]);
  ui.stepper = h("span", {cls: "ag-stepper"}, [ui.first, ui.prev, ui.play, ui.next, ui.last,
    ui.slider, ui.phase, ui.counter, toggle]);
  root.appendChild(h("div", {cls: "ag-top"}, [ui.name, ui.stepper, ui.zoomOut, ui.fit,
    ui.readable, ui.zoomIn, onPage && linkable() ? ui.share : null]));
  ui.sharePanel.hidden = true;
  root.appendChild(ui.sharePanel);
  root.appendChild(h("div", {cls: "ag-main"}, [ui.graph, h("div", {cls: "ag-side"}, [
    ui.predict, ui.title, ui.text, h("h3", {cls: "ag-inspect-h", text: "Inspector"}), ui.inspect, ui.live,
    ui.panels, ui.legend])]));

  const drawing = Drawing(ui.graph, (k) => inspect(k));
  cleanups.push(() => drawing.destroy());
  const side = Side(ui, {
    setValue(key, x) { save("values", Object.assign({}, model.get("values"), {[key]: x})); },
    setLr(x) { if (isFinite(x)) { save("lr", x); } },
    send(action, args) { model.send({action: action, args: args || {}}); }
  });
  const panelApi = {drawing: drawing, send: (action, args) => model.send({action, args: args || {}})};

  // -- predict mode ------------------------------------------------------------------------
  const quizOn = () => !!model.get("quiz");
  const score = () => Object.assign({right: 0, wrong: 0, reached: 0, missed: -1}, model.get("score"));
  function limit() {  // the last frame a learner may see: answered ones, and any without a question
    let j = Math.min(score().reached, frames.length - 1);
    while (j + 1 < frames.length && !(frames[j + 1].ask || []).some((a) => a.right !== null)) { j += 1; }
    return j;
  }
  const quiz = Quiz(ui.predict, {
    scene: () => scene, position: () => current, score, limit,
    setScore(s, goTo) { save("score", s); if (goTo !== null) { show(goTo); } else { quiz.render(quizOn()); } },
    restart() { save("score", {right: 0, wrong: 0, reached: 0, missed: -1}); show(0); }
  });

  function inspect(k, quiet) {
    selected = k;
    drawing.select(k);
    side.inspect(scene.inspector[k], current, timeline, quizOn());
    if (!quiet) { root.focus({preventScroll: true}); }
  }

  function show(i) {
    const top = quizOn() ? limit() : frames.length - 1;
    current = Math.max(0, Math.min(top, i));
    const f = frames[current], back = current >= scene.forward;
    drawing.paint(frames, current, back);
    if (quizOn() && current === limit() && current + 1 < frames.length) {
      drawing.ask((frames[current + 1].ask || []).map((a) => a.node));
    }
    ui.title.textContent = f.title;
    ui.text.textContent = f.text;
    ui.slider.max = String(frames.length - 1);
    ui.slider.value = String(current);
    ui.counter.textContent = current + " / " + (frames.length - 1);
    ui.phase.textContent = back ?
      "backward " + (current - scene.forward) + "/" + (frames.length - scene.forward - 1) :
      "forward " + current + "/" + (scene.forward - 1);
    ui.phase.classList.toggle("ag-back", back);
    ui.stepper.hidden = scene.stepper === false;  // a live view: its panel steps training
    ui.quiz.checked = quizOn();
    toggle.hidden = !frames.some((g) => (g.ask || []).length);  // nothing to predict (a live view)
    root.classList.toggle("ag-quizzing", quizOn());
    if (selected !== null) { inspect(selected, true); }
    side.frame(scene, current, timeline);
    side.panels(scene, current, panelApi);
    quiz.render(quizOn());
    if (model.get("position") !== current) { save("position", current); }
  }

  function update() {  // a new scene from the host: same layout unless the svg changed
    const next = withSvg(), relayout = next.svg !== scene.svg;
    scene = next;
    frames = scene.frames;
    timeline = Timeline(scene);
    ui.name.textContent = scene.title;
    if (relayout) { drawing.load(scene); drawing.open(); }
    side.inputs(scene, current, timeline);
    if (selected !== null && selected >= scene.inspector.length) { selected = null; side.hint(); }
    show(current);
  }

  function pause() {
    if (timer !== null) { clearInterval(timer); timer = null; }
    ui.play.textContent = "\u25b6 Play";
  }

  function play() {
    if (timer !== null) { pause(); return; }
    if (current === frames.length - 1) { show(0); }
    ui.play.textContent = "\u275a\u275a Pause";
    timer = setInterval(() => {
      const top = quizOn() ? limit() : frames.length - 1;
      if (current >= top) { pause(); } else { show(current + 1); }
    }, PLAY_MS);
  }

  const share = SharePanel(ui.sharePanel, model);
  listen(cleanups, ui.share, "click", () => {
    ui.sharePanel.hidden = !ui.sharePanel.hidden;
    if (!ui.sharePanel.hidden) { share.open(); }
  });
  function hide() {
    const hidden = model.get("hide") || [];
    CONTROLS.forEach((n) => root.classList.toggle("ag-hide-" + n, hidden.indexOf(n) >= 0));
  }

  function go(i) { return () => { pause(); show(typeof i === "function" ? i() : i); }; }
  listen(cleanups, ui.first, "click", go(0));
  listen(cleanups, ui.prev, "click", go(() => current - 1));
  listen(cleanups, ui.next, "click", go(() => current + 1));
  listen(cleanups, ui.last, "click", go(() => frames.length - 1));
  listen(cleanups, ui.play, "click", play);
  listen(cleanups, ui.fit, "click", () => drawing.fit());
  listen(cleanups, ui.readable, "click", () => drawing.readable(focusNodes()));
  listen(cleanups, ui.zoomIn, "click", () => drawing.zoom(1.25));
  listen(cleanups, ui.zoomOut, "click", () => drawing.zoom(1 / 1.25));
  listen(cleanups, ui.slider, "input", () => { pause(); show(parseInt(ui.slider.value, 10)); });
  listen(cleanups, ui.quiz, "change", () => {
    pause();
    save("quiz", ui.quiz.checked);
    if (ui.quiz.checked) { save("score", {right: 0, wrong: 0, reached: 0, missed: -1}); show(0); }
    else { show(current); }
  });
  function focusNodes() {
    const f = frames[current];
    return [f.node].concat(f.kids).filter((k) => k !== null);
  }
  listen(cleanups, root, "keydown", (e) => {
    const tag = (e.target && e.target.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || e.ctrlKey || e.metaKey || e.altKey) { return; }
    const moves = {ArrowRight: current + 1, ArrowLeft: current - 1, Home: 0, End: frames.length - 1};
    if (e.key in moves) { pause(); show(moves[e.key]); }
    else if (e.key === " ") { play(); }
    else if (e.key === "f" || e.key === "F") { drawing.fit(); }
    else if (e.key === "r" || e.key === "R") { drawing.readable(focusNodes()); }
    else if (e.key === "+" || e.key === "=") { drawing.zoom(1.25); }
    else if (e.key === "-") { drawing.zoom(1 / 1.25); }
    else { return; }
    e.preventDefault();
    e.stopPropagation();
  });

  on("change:scene", update);
  on("change:svg", update);
  on("change:quiz", () => show(current));
  on("change:score", () => quiz.render(quizOn()));
  on("change:hide", hide);
  on("change:position", () => {
    const i = model.get("position");
    if (i !== current) { show(i); }
  });

  hide();
  drawing.load(scene);
  side.legend();
  side.hint();
  side.inputs(scene, 0, timeline);
  drawing.open();
  show(model.get("position") || 0);
  return () => {
    pause();
    cleanups.splice(0).forEach((f) => f());
    root.remove();
  };
}

const widget = {render};
export default widget;
