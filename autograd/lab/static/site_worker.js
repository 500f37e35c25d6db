/* The classroom site's engine: Python (Pyodide, from the site's folder) in a Web Worker, so
   the page stays responsive while it starts. It imports the engine from the site's zip and
   answers the page's actions with scenes, both as JSON text (autograd/lab/site_runtime.py).
   Messages in: {type: "start", pyodide, package, spec} then {type: "act", body}; out:
   {type: "ready", startup} or {type: "failed", error}, then {type: "scene", text}. */

let act = null;

async function start(m) {
  const began = performance.now();
  const {loadPyodide} = await import(m.pyodide + "pyodide.mjs");
  const py = await loadPyodide({indexURL: m.pyodide, packages: []});
  const answer = await fetch(m.package);
  if (!answer.ok) { throw new Error(m.package + ": HTTP " + answer.status); }
  py.unpackArchive(await answer.arrayBuffer(), "zip", {extractDir: "/home/pyodide/lab"});
  py.runPython("import sys; sys.path.insert(0, '/home/pyodide/lab')");
  act = py.pyimport("autograd.lab.site_runtime").start(m.spec);
  return performance.now() - began;
}

self.onmessage = (event) => {
  const m = event.data || {};
  if (m.type === "start") {
    start(m).then((startup) => self.postMessage({type: "ready", startup: startup}),
                  (err) => self.postMessage({type: "failed", error: String((err && err.message) || err)}));
  } else if (m.type === "act" && act) {
    self.postMessage({type: "scene", text: act(m.body)});
  }
};
