// Run one Python script in Pyodide under Node, offline.
//
//   node run_pyodide.mjs PYODIDE_DIR SCRIPT [HOST_DIR=PYODIDE_DIR ...] [-- ARG ...]
//
// Each HOST_DIR is copied (no __pycache__) into Pyodide's in-memory file system at the
// given path, which also goes on sys.path; SCRIPT runs as __main__ with the ARGs in
// sys.argv, its own stdout and stderr. Every network request (fetch, sockets) is refused and counted: the run fails if
// anything tried to download, so Pyodide's own files must all come from PYODIDE_DIR.
// Exit status: the script's (0 on success), 1 on an uncaught exception, 3 on any request.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";

const [pyodideDir, script, ...rest] = process.argv.slice(2);
const dashes = rest.indexOf("--");
const copies = dashes < 0 ? rest : rest.slice(0, dashes);
const args = dashes < 0 ? [] : rest.slice(dashes + 1);
if (!pyodideDir || !script) {
  console.error("usage: node run_pyodide.mjs PYODIDE_DIR SCRIPT [HOST_DIR=PYODIDE_DIR ...] [-- ARG ...]");
  process.exit(2);
}

const refused = [];
function refuse(what) {
  refused.push(what);
  throw new Error(`network blocked: ${what} (everything must come from ${pyodideDir})`);
}
globalThis.fetch = (url) => refuse(`fetch ${url}`);
net.Socket.prototype.connect = function (...args) { return refuse(`connect ${JSON.stringify(args[0])}`); };

const { loadPyodide } = await import(pathToFileURL(path.join(pyodideDir, "pyodide.mjs")).href);
const pyodide = await loadPyodide({
  indexURL: path.resolve(pyodideDir) + path.sep,
  stdout: (line) => process.stdout.write(line + "\n"),
  stderr: (line) => process.stderr.write(line + "\n"),
});

function copyTree(from, to) {
  pyodide.FS.mkdirTree(to);
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    if (entry.name === "__pycache__") continue;
    const source = path.join(from, entry.name);
    const target = `${to}/${entry.name}`;
    if (entry.isDirectory()) copyTree(source, target);
    else if (entry.isFile()) pyodide.FS.writeFile(target, fs.readFileSync(source));
  }
}
const roots = [];
for (const spec of copies) {
  const at = spec.lastIndexOf("=");
  const [host, inside] = [spec.slice(0, at), spec.slice(at + 1)];
  copyTree(host, `${inside}/${path.basename(host)}`);
  roots.push(inside);
}
pyodide.FS.writeFile("/tmp/__main_script__.py", fs.readFileSync(script));

pyodide.globals.set("_roots", pyodide.toPy(roots));
pyodide.globals.set("_argv", pyodide.toPy([path.resolve(script), ...args]));
const status = pyodide.runPython(`
import runpy, sys, traceback
sys.dont_write_bytecode = True
sys.path[:0] = list(_roots)
sys.argv = list(_argv)
try:
    runpy.run_path("/tmp/__main_script__.py", run_name="__main__")
    _status = 0
except SystemExit as stop:
    _status = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    if not isinstance(stop.code, (int, type(None))):
        print(stop.code, file=sys.stderr)
except BaseException:
    traceback.print_exc()
    _status = 1
sys.stdout.flush()
sys.stderr.flush()
_status
`);
if (refused.length) {
  console.error(`${refused.length} network request(s) refused: ${refused.join(", ")}`);
  console.error(`(the script's own exit status: ${status})`);
  process.exit(3);
}
process.exit(status);
