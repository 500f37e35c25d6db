/* The local server's page: actions go to Python as JSON over HTTP, with the page's token;
   new scenes (from this page or pushed by Python) arrive as server-sent events. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("data").textContent);
  var token = data.token, seen = data.scene.version;

  function fresh(scene) {  // each scene once, whichever way it came
    if (!scene || scene.version <= seen) { return null; }
    seen = scene.version;
    return scene;
  }

  function post(action, args) {
    return fetch("api/action", {
      method: "POST",
      headers: {"Content-Type": "application/json", "X-Lab-Token": token},
      body: JSON.stringify({action: action, args: args || {}})
    }).then(function (r) {
      return r.json().then(function (body) {
        if (!r.ok) { throw new Error(body.error || ("HTTP " + r.status)); }
        return fresh(body);
      });
    });
  }

  window.agLabViewer = AgLab.mount(document.getElementById("app"), {
    scene: data.scene,
    keys: "document",
    start: "end",
    send: post,
    subscribe: function (onScene) {
      if (!window.EventSource) { return; }
      var events = new EventSource("api/events?token=" + encodeURIComponent(token));
      events.addEventListener("scene", function (e) {
        var scene = fresh(JSON.parse(e.data));
        if (scene) { onScene(scene); }
      });
      window.addEventListener("beforeunload", function () { events.close(); });
    }
  });
})();
