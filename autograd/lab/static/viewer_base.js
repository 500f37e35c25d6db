/* The lab's front end is ONE ES module in anywidget's shape: `export default {render}`,
   where render({model, el}) draws the lab into el and returns its cleanup. Python joins this
   file, the drawing, the side panel, predict mode, the panels, the page hosts and viewer.js
   into that module (autograd/lab/page.py: module_source), so the parts share this module's
   scope and nothing is global. This part: the data's shape, and helpers every part uses.

   The scene's and the model's keys are declared here and in autograd/lab/scene.py; a test
   checks that the two agree. */

/**
 * @typedef {Object} Frame  one step of the timeline (frames 0..i applied make frame i)
 * @property {string} phase  "forward" or "backward"
 * @property {?number} node  the node this frame is about
 * @property {number[]} kids  its inputs, or the inputs it sends grads to
 * @property {string[]} edges  edge ids that light up
 * @property {string[][]} set  [box id, field, text]: what the boxes now show
 * @property {string} title
 * @property {string} text
 * @property {string[][]} [labels]  [edge id, text]: local derivatives on edges
 * @property {Array[]} [grads]  [node, text, value]: grads that change at this frame
 * @property {Object[]} [ask]  predict mode's questions, with the right numbers
 * @property {Array[]} [near]  predict mode: [what, value] a wrong local derivative may come from
 * @property {Object} [panels]  panel data that changes with the frame
 */

/**
 * @typedef {Object} Scene  everything a viewer draws (numbers Python computed)
 * @property {number} version
 * @property {string} title
 * @property {boolean} live
 * @property {Frame[]} frames
 * @property {number} forward
 * @property {Object[]} inspector
 * @property {Object} boxes
 * @property {Object} neurons
 * @property {Object} outputs
 * @property {number} root
 * @property {Object} output
 * @property {Object[]} leaves
 * @property {number} lr
 * @property {string} message
 * @property {Object} panels
 * @property {string} [svg]
 * @property {boolean} [overview]
 * @property {boolean} [stepper]
 * @property {string} [expr]  the expression the graph was built from, if it was
 */

/**
 * @typedef {Object} LabModel  the keys of the host's model (anywidget's, or a page's)
 * @property {string} svg
 * @property {Scene} scene
 * @property {number} position
 * @property {Object} values
 * @property {number} lr
 * @property {boolean} quiz
 * @property {Object} score
 * @property {string[]} hide  the groups of controls not shown (CONTROLS in viewer_link.js)
 */

const BLANK = "\u2014";  // a number not computed yet
const PANELS = {};  // panel name -> render(el, data, api); see autograd/lab/panels.py

/** A panel's drawing: render(el, data, {drawing, send}) draws scene.panels[name]. */
function registerPanel(name, render) { PANELS[name] = render; }

function h(tag, attrs, children) {
  const el = document.createElement(tag);
  Object.keys(attrs || {}).forEach((k) => {
    if (k === "text") { el.textContent = attrs[k]; }
    else if (k === "cls") { el.className = attrs[k]; }
    else { el.setAttribute(k, attrs[k]); }
  });
  (children || []).forEach((c) => { if (c) { el.appendChild(c); } });
  return el;
}

/** addEventListener that records its own removal in `cleanups`. */
function listen(cleanups, target, type, fn, options) {
  target.addEventListener(type, fn, options);
  cleanups.push(() => target.removeEventListener(type, fn, options));
}

/** Four significant digits, as predict mode checks an answer. */
function sameTo4(typed, right) {
  if (right === 0) { return Math.abs(typed) < 5e-5; }
  return Number(typed.toPrecision(4)) === Number(right.toPrecision(4)) ||
    Math.abs(typed - right) <= 5e-4 * Math.abs(right);
}

/** A number as the lab writes it: four decimals, never "-0.0000", exponents when tiny. */
function fmt(x) {
  if (x === null || x === undefined || !isFinite(x)) { return String(x); }
  const a = Math.abs(x);
  if (a !== 0 && (a < 1e-4 || a >= 1e9)) { return x.toExponential(4); }
  const t = x.toFixed(4);
  return t === "-0.0000" ? "0.0000" : t;
}

/** What a scene's frames say about each node up to frame i: its value known, its grad so far. */
function Timeline(scene) {
  const grads = {};
  scene.frames.forEach((f, i) => (f.grads || []).forEach((g) => {
    (grads[g[0]] = grads[g[0]] || []).push([i, g[1], g[2]]);
  }));
  function last(k, i) {
    let hit = null;
    (grads[k] || []).forEach((e) => { if (e[0] <= i) { hit = e; } });
    return hit;
  }
  return {
    grad(k, i) { const e = last(k, i); return e ? e[1] : BLANK; },
    known(k, i) {
      const r = scene.inspector[k];
      return !!r && i >= r.data_frame;
    }
  };
}
