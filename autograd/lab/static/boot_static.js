/* The static file: every frame is in the page; nothing is live. */
(function () {
  "use strict";
  var scene = JSON.parse(document.getElementById("data").textContent);
  window.agLabViewer = AgLab.mount(document.getElementById("app"), {scene: scene, keys: "document"});
})();
