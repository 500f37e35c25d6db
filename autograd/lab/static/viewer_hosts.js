/* The pages' small models, the interface anywidget gives a widget (get/set/on/off/send,
   save_changes, "change:KEY" and "msg:custom" events): the static file's keeps its keys in
   the page; the local server's also sends actions and input values to Python as JSON over
   HTTP with the page's token, and takes the scenes Python pushes as server-sent events;
   the classroom site's runs Python in the page itself (Pyodide).
   mountPage(el, data) picks the model from the page's data, applies the lesson link in the
   URL's hash (viewer_link.js), renders the viewer and keeps the hash current. */

function pageModel(keys) {
  const handlers = {};
  const model = {
    get: (key) => keys[key],
    set(key, value) {
      keys[key] = value;
      model.emit("change:" + key, value);
    },
    on(event, fn) { (handlers[event] = handlers[event] || []).push(fn); },
    off(event, fn) {
      if (!event) { Object.keys(handlers).forEach((e) => { handlers[e] = []; }); return; }
      handlers[event] = fn ? (handlers[event] || []).filter((g) => g !== fn) : [];
    },
    emit(event, value) { (handlers[event] || []).slice().forEach((fn) => fn(value)); },
    send() {},  // nothing live: a static page has no Python to ask
    save_changes() {}
  };
  return model;
}

function serverModel(keys, token) {
  const model = pageModel(keys);
  let synced = Object.assign({}, keys.values), seen = keys.scene.version, busy = false, queued = null;

  function take(scene) {  // each scene once, whichever way it came
    if (!scene || scene.version <= seen) { return; }
    seen = scene.version;
    const numbers = Object.assign({}, scene);
    delete numbers.svg;
    if (scene.svg && scene.svg !== keys.svg) { keys.svg = scene.svg; }
    synced = {};
    (scene.leaves || []).forEach((l) => { if (l.value !== null) { synced[l.key] = l.value; } });
    keys.values = Object.assign({}, synced);  // a gradient step moved them: the page follows
    model.set("scene", numbers);
  }

  function refuse(err) {
    model.set("scene", Object.assign({}, keys.scene, {message: "refused: " + (err.message || err)}));
  }

  function post(body) {  // one request at a time; the latest waiting one goes next
    if (busy) { queued = body; return; }
    busy = true;
    fetch("api/action", {method: "POST", body: JSON.stringify(body),
                         headers: {"Content-Type": "application/json", "X-Lab-Token": token}})
      .then((r) => r.json().then((answer) => {
        if (!r.ok) { throw new Error(answer.error || ("HTTP " + r.status)); }
        take(answer);
      }))
      .catch(refuse)
      .then(() => { busy = false; if (queued) { const q = queued; queued = null; post(q); } });
  }

  model.send = (msg) => { if (msg && typeof msg.action === "string") { post(msg); } };
  model.save_changes = () => {
    const moved = {};
    Object.keys(keys.values || {}).forEach((k) => {
      if (keys.values[k] !== synced[k]) { moved[k] = keys.values[k]; }
    });
    if (Object.keys(moved).length) {
      Object.assign(synced, moved);
      post({action: "set_leaves", args: {values: moved}});
    }
  };
  if (window.EventSource) {
    const events = new EventSource("api/events?token=" + encodeURIComponent(token));
    events.addEventListener("scene", (e) => take(JSON.parse(e.data)));
    model.close = () => events.close();
  }
  return model;
}

/* The classroom site's model: Python runs in the page (Pyodide, from the site's folder) on
   the engine's source (the site's zip); actions and input values go to it as JSON, and its
   scenes come back the same way. Until Python is ready, the precomputed frames step and
   predict mode works; what the learner changed meanwhile is sent once it is. */
function siteModel(keys, site) {
  const model = pageModel(keys);
  let synced = Object.assign({}, keys.values), waiting = [], act = null;
  model.engine = "starting";

  function take(text) {
    const scene = JSON.parse(text);
    synced = {};
    (scene.leaves || []).forEach((l) => { if (l.value !== null) { synced[l.key] = l.value; } });
    keys.values = Object.assign({}, synced);
    model.set("scene", scene);
  }
  function say(text) { model.set("scene", Object.assign({}, keys.scene, {message: text})); }
  function post(body) {
    if (!act) { waiting.push(body); return; }
    take(act(JSON.stringify(body)));
  }
  model.send = (msg) => { if (msg && typeof msg.action === "string") { post(msg); } };
  model.save_changes = () => {
    const moved = {};
    Object.keys(keys.values || {}).forEach((k) => {
      if (keys.values[k] !== synced[k]) { moved[k] = keys.values[k]; }
    });
    if (Object.keys(moved).length) {
      Object.assign(synced, moved);
      post({action: "set_leaves", args: {values: moved}});
    }
  };

  const base = new URL(site.pyodide, document.baseURI).href, started = performance.now();
  say("starting Python in this page (Pyodide) ...");
  import(base + "pyodide.mjs")
    .then((m) => m.loadPyodide({indexURL: base, packages: []}))
    .then((py) => fetch(new URL(site.package, document.baseURI).href)
      .then((r) => { if (!r.ok) { throw new Error(site.package + ": HTTP " + r.status); } return r.arrayBuffer(); })
      .then((zip) => {
        py.unpackArchive(zip, "zip", {extractDir: "/home/pyodide/lab"});
        py.runPython("import sys; sys.path.insert(0, '/home/pyodide/lab')");
        const start = py.pyimport("autograd.lab.site_runtime").start;
        act = start(JSON.stringify(site.spec));
        model.engine = "ready";
        model.startup = performance.now() - started;
        say("live: the engine runs in this page (Python in WebAssembly, started in " +
            (model.startup / 1000).toFixed(1) + " s)");
        waiting.splice(0).forEach(post);
      }))
    .catch((err) => {
      model.engine = "failed";
      say("refused: Python could not start in this page (" + (err.message || err) + "); " +
          "stepping and predict mode still work. Serve the folder over http(s), e.g. " +
          "python -m http.server, rather than opening the file");
    });
  return model;
}

/** The pages' entry: data is {model: LabModel, token?} (a static file, the server's page) or
    {model, site} (the classroom site). */
function mountPage(el, data) {
  const model = data.token ? serverModel(data.model, data.token) :
    data.site ? siteModel(data.model, data.site) : pageModel(data.model);
  return mountModel(el, model, data.model);
}

/** Render the viewer for a page's model whose first keys are `keys`, after the URL's link. */
function mountModel(el, model, keys) {
  const link = applyLink(keys, readLink(window.location.hash));
  if (link.note) { keys.scene = Object.assign({}, keys.scene, {message: link.note}); }
  el.classList.add("ag-page");
  const page = {model: model, el: el, widget: widget, cleanup: widget.render({model, el})};
  if (Object.keys(link.values).length) { model.save_changes(); }  // Python recomputes
  followInHash(model);
  el.querySelector(".ag-lab").focus({preventScroll: true});
  if (model.close) { window.addEventListener("pagehide", () => model.close()); }
  return page;
}
