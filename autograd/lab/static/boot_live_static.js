/* A saved training run: the viewer's slider, keys and play walk its frames; the live
   panel follows the frame shown (curves up to that step, that frame's boundary). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var panel = null;

  function at(i) {
    var f = data.frames[i];
    if (!f) { return null; }
    var rows = data.steps.rows.filter(function (r) { return r[0] <= f.step; });
    return Object.assign({}, f, {state: "saved", points: data.points,
      steps: {keys: data.steps.keys, rows: rows},
      epochs: data.epochs.filter(function (e) { return e.step <= f.step; })});
  }

  window.agLabViewer = AgLab.mount(document.getElementById("app"), {
    scene: data.scene,
    keys: "document",
    start: "end",
    position: function (i) {
      panel = panel || document.querySelector('[data-panel="live"]');
      var d = at(i);
      if (panel && d) { AgLabLive.render(panel, d, null); }
    }
  });
})();
