/* Lesson links: a page's state in its URL's hash, and the "Share" panel that makes one.

     #expr=o+%3D+tanh(x*w)&x=2&w=-3&frame=5&predict=1&hide=inputs,inspector

   The keys are the page model's: the expression the graph was built from, each input's
   value by name (a name the link uses itself is written "in:NAME"), the frame shown,
   predict mode and the groups of controls hidden. The page hosts read the hash when they
   mount and keep it current as the page changes (viewer_hosts.js); the viewer's Share
   button writes the link with the controls the teacher chose to hide. */

/** The groups of controls a page can hide (CONTROLS in autograd/lab/scene.py). */
const CONTROLS = ["inputs", "predict", "stepper", "inspector", "zoom", "legend", "share"];
const LINK_KEYS = ["expr", "frame", "predict", "hide"];

/** What a hash says: {expr?, values, frame?, predict?, hide?, unread}; anything unreadable
    is left out, and listed in `unread` ("key=value", shortened) for the page to say so. */
function readLink(hash) {
  const out = {values: {}, unread: []};
  const skip = (key, value) => {
    const said = key + "=" + value, short = said.length > 40 ? said.slice(0, 39) + "\u2026" : said;
    if (out.unread.indexOf(short) < 0) { out.unread.push(short); }
  };
  new URLSearchParams(String(hash || "").replace(/^#/, "")).forEach((value, key) => {
    if (key === "expr") { out.expr = value; }
    else if (key === "frame") {
      const i = Number(value);
      if (value.trim() !== "" && Number.isInteger(i) && i >= 0) { out.frame = i; }
      else { skip(key, value); }
    }
    else if (key === "predict") {
      if (value === "1" || value === "0") { out.predict = value === "1"; } else { skip(key, value); }
    }
    else if (key === "hide") {
      const names = value.split(",").filter((n) => n !== "");
      out.hide = names.filter((n) => CONTROLS.indexOf(n) >= 0);
      const unknown = names.filter((n) => CONTROLS.indexOf(n) < 0);
      if (unknown.length) { skip(key, unknown.join(",")); }
    }
    else {
      const x = Number(value), name = key.indexOf("in:") === 0 ? key.slice(3) : key;
      if (name !== "" && value.trim() !== "" && isFinite(x)) { out.values[name] = x; }
      else { skip(key, value); }
    }
  });
  return out;
}

/** The hash for a state {expr, values, frame, predict, hide}. */
function writeLink(state) {
  const params = new URLSearchParams();
  if (state.expr) { params.set("expr", state.expr); }
  Object.keys(state.values || {}).forEach((k) => {
    const key = LINK_KEYS.indexOf(k) >= 0 || k.indexOf("in:") === 0 ? "in:" + k : k;
    params.set(key, String(state.values[k]));
  });
  params.set("frame", String(state.frame || 0));
  if (state.predict) { params.set("predict", "1"); }
  if (state.hide && state.hide.length) { params.set("hide", state.hide.join(",")); }
  return "#" + params.toString().replace(/%2C/g, ",");
}

/** A model's state as a link's: what writeLink takes. */
function linkState(model, hide) {
  const scene = model.get("scene") || {};
  return {expr: scene.expr, values: model.get("values") || {}, frame: model.get("position") || 0,
          predict: !!model.get("quiz"), hide: hide === undefined ? (model.get("hide") || []) : hide};
}

/** Put a link's state into a page's first model keys (before it renders). Returns what a
    live page must still do: {values} to send to Python, and a note when the link cannot be
    honoured whole (another expression; inputs on a page with no Python). */
function applyLink(keys, link) {
  const scene = keys.scene || {}, out = {values: {}, note: ""}, notes = [];
  if (link.expr && scene.expr && link.expr !== scene.expr) {
    out.note = "this link is for " + link.expr + "; this page shows " + scene.expr;
    return out;
  }
  const known = {}, unknown = [];
  (scene.leaves || []).forEach((l) => { known[l.key] = l.value; });
  Object.keys(link.values).forEach((k) => {
    if (!(k in known)) { unknown.push(k); }
    else if (known[k] !== link.values[k]) { out.values[k] = link.values[k]; }
  });
  if ((link.unread || []).length) {
    notes.push("left out what this page cannot read in the link: " + link.unread.join(", "));
  }
  if (unknown.length && scene.leaves) {
    notes.push("this page has no input " + unknown.slice(0, 5).join(", ") +
               (unknown.length > 5 ? ", \u2026" : ""));
  }
  if (Object.keys(out.values).length && !scene.live) {
    notes.push("the link's input values need a live lab (this page has no Python): " +
      "the page shows the values it was made with");
    out.values = {};
  }
  out.note = notes.join("; ");
  keys.values = Object.assign({}, keys.values, out.values);
  if (link.hide) { keys.hide = link.hide; }
  if (link.predict !== undefined) { keys.quiz = link.predict; }
  if (link.frame !== undefined) {
    keys.position = link.frame;
    if (keys.quiz) {  // predict from that frame on: the frames before it count as seen
      keys.score = Object.assign({}, keys.score, {reached: link.frame});
    }
  }
  return out;
}

/** Whether this page has an address to share (not a notebook's snapshot frame, about:srcdoc). */
function linkable() { return /^(https?|file):$/.test(window.location.protocol); }

/** The Share panel: pick the controls to hide, get the link, copy it. */
function SharePanel(el, model) {
  const boxes = {};
  const field = h("input", {cls: "ag-sharelink", type: "text", readonly: "readonly",
                            "aria-label": "lesson link"});
  const copy = h("button", {cls: "ag-copy", text: "Copy link"});
  const status = h("span", {cls: "ag-sharestatus"});
  const picks = CONTROLS.map((name) => {
    boxes[name] = h("input", {type: "checkbox", "data-control": name});
    boxes[name].addEventListener("change", refresh);
    return h("label", {cls: "ag-sharepick"}, [boxes[name], document.createTextNode(" " + name)]);
  });
  el.appendChild(h("div", {cls: "ag-sharehead", text: "Lesson link: this page as it is now " +
    "(inputs, frame, predict mode). Hide for the class:"}));
  el.appendChild(h("div", {cls: "ag-sharepicks"}, picks));
  el.appendChild(h("div", {cls: "ag-row"}, [field, copy, status]));
  if (/[?&]token=/.test(window.location.search)) {  // the local server's page
    el.appendChild(h("div", {cls: "ag-hint", text: "This page is served by your computer: the " +
      "link opens it here while the lab runs. For a class, write a site: autograd lab ... --site DIR."}));
  }

  function link() {
    const hide = CONTROLS.filter((n) => boxes[n].checked);
    const here = String(window.location.href).split("#")[0];
    return here + writeLink(linkState(model, hide));
  }
  function refresh() { field.value = link(); status.textContent = ""; }
  copy.addEventListener("click", () => {
    refresh();
    field.select();
    const done = () => { status.textContent = "copied"; };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).then(done, () => { status.textContent = "select and copy"; });
    } else {
      try { if (document.execCommand("copy")) { done(); } } catch (e) { status.textContent = "select and copy"; }
    }
  });
  return {
    open() {
      const hidden = model.get("hide") || [];
      CONTROLS.forEach((n) => { boxes[n].checked = hidden.indexOf(n) >= 0; });
      refresh();
    },
    refresh
  };
}

/** Keep a page's URL hash in step with its model (a page host calls this; never a notebook). */
function followInHash(model) {
  const write = () => {
    try { window.history.replaceState(null, "", writeLink(linkState(model))); } catch (e) { /* a srcdoc frame */ }
  };
  ["change:position", "change:quiz", "change:values", "change:scene", "change:hide"]
    .forEach((event) => model.on(event, write));
  write();
  // another link pasted into this tab: the page opens again from it (replaceState fires none)
  window.addEventListener("hashchange", () => window.location.reload());
}
