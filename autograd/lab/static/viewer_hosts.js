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

/** The input values a live model last agreed on with Python. `follow(scene)` takes a scene's
    (a gradient step moved them: the page follows); `send()` is the model's save_changes: it
    posts the values the page moved since. */
function liveInputs(keys, post) {
  let synced = Object.assign({}, keys.values);
  return {
    follow(scene) {
      synced = {};
      (scene.leaves || []).forEach((l) => { if (l.value !== null) { synced[l.key] = l.value; } });
      keys.values = Object.assign({}, synced);
    },
    send() {
      const moved = {};
      Object.keys(keys.values || {}).forEach((k) => {
        if (keys.values[k] !== synced[k]) { moved[k] = keys.values[k]; }
      });
      if (Object.keys(moved).length) {
        Object.assign(synced, moved);
        post({action: "set_leaves", args: {values: moved}});
      }
    }
  };
}

function serverModel(keys, token) {
  const model = pageModel(keys);
  const inputs = liveInputs(keys, post);
  let seen = keys.scene.version, busy = false, queued = null;

  function take(scene) {  // each scene once, whichever way it came
    if (!scene || scene.version <= seen) { return; }
    seen = scene.version;
    const numbers = Object.assign({}, scene);
    delete numbers.svg;
    if (scene.svg && scene.svg !== keys.svg) { keys.svg = scene.svg; }
    inputs.follow(scene);
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
  model.save_changes = inputs.send;
  if (window.EventSource) {
    const events = new EventSource("api/events?token=" + encodeURIComponent(token));
    events.addEventListener("scene", (e) => take(JSON.parse(e.data)));
    model.close = () => events.close();
  }
  return model;
}

/* The classroom site's model: Python runs beside the page (Pyodide in a Web Worker, from
   the site's folder: site_worker.js) on the engine's source (the site's zip); actions and
   input values go to it as JSON, one at a time (moves made meanwhile merge), and its scenes
   come back the same way. Until Python is ready, the precomputed frames step and predict
   mode works; what the learner changed meanwhile is sent once it is. */
function siteModel(keys, site) {
  const model = pageModel(keys);
  const inputs = liveInputs(keys, post);
  let waiting = [], busy = true, worker = null;
  model.engine = "starting";

  function say(text) {  // the lesson link's note, if any, stays beside it
    const message = model.linkNote ? text + "; " + model.linkNote : text;
    model.set("scene", Object.assign({}, keys.scene, {message: message}));
  }
  function take(text) {
    const scene = JSON.parse(text);
    inputs.follow(scene);
    model.set("scene", scene);
  }
  function next() {
    busy = waiting.length > 0 && model.engine === "ready";
    if (busy) { worker.postMessage({type: "act", body: JSON.stringify(waiting.shift())}); }
  }
  function post(body) {
    const last = waiting[waiting.length - 1];
    if (last && last.action === "set_leaves" && body.action === "set_leaves") {
      Object.assign(last.args.values, body.args.values);  // a slider dragged: the latest values
    } else {
      waiting.push(body);
    }
    if (!busy) { next(); }
  }
  model.send = (msg) => { if (msg && typeof msg.action === "string") { post(msg); } };
  model.save_changes = inputs.send;

  function failed(why) {
    model.engine = "failed";
    say("refused: Python could not start beside this page (" + why + "); stepping and " +
        "predict mode still work. Serve the folder over http(s) (e.g. python -m http.server) " +
        "rather than opening the file");
  }
  const url = (path) => new URL(path, document.baseURI).href;
  say("starting Python beside this page (Pyodide) ...");
  try {
    worker = new Worker(url(site.worker), {type: "module"});
  } catch (err) {
    failed(err.message || String(err));
    return model;
  }
  worker.onerror = (e) => { if (model.engine === "starting") { failed(e.message || "the worker did not load"); } };
  worker.onmessage = (event) => {
    const m = event.data || {};
    if (m.type === "ready") {
      model.engine = "ready";
      model.startup = m.startup;
      say("live: the engine runs in this browser (Python in WebAssembly, started in " +
          (m.startup / 1000).toFixed(1) + " s)");
      next();
    } else if (m.type === "failed") {
      failed(m.error);
    } else if (m.type === "scene") {
      take(m.text);
      next();
    }
  };
  worker.postMessage({type: "start", pyodide: url(site.pyodide), package: url(site.package),
                      spec: JSON.stringify(site.spec)});
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
  model.linkNote = link.note;
  el.classList.add("ag-page");
  const page = {model: model, el: el, widget: widget, cleanup: widget.render({model, el})};
  if (Object.keys(link.values).length) { model.save_changes(); }  // Python recomputes
  followInHash(model);
  el.querySelector(".ag-lab").focus({preventScroll: true});
  if (model.close) { window.addEventListener("pagehide", () => model.close()); }
  return page;
}
