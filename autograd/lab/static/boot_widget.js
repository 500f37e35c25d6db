/* The notebook widget (anywidget): the same viewer, synced with the Python model.
   Slider changes go to Python through the "values" trait, gradient steps and checks as
   messages; Python answers with a new "scene" trait, and "position" follows the frame. */
export default {
  render: function (ctx) {
    var model = ctx.model, el = ctx.el, applying = false;
    var box = document.createElement("div");
    box.classList.add("ag-embedded");
    el.appendChild(box);
    function current() {
      var scene = Object.assign({}, model.get("scene"));
      scene.svg = model.get("svg");
      return scene;
    }
    var viewer = AgLab.mount(box, {
      scene: current(),
      start: "end",
      send: function (action, args) {
        if (action === "set_leaves") {
          model.set("values", Object.assign({}, model.get("values"), args.values));
          model.save_changes();
        } else {
          model.send({action: action, args: args});
        }
        return null;  // the answer arrives as a new scene
      },
      position: function (i) {
        if (!applying && model.get("position") !== i) {
          model.set("position", i);
          model.save_changes();
        }
      },
      subscribe: function (onScene) {
        model.on("change:scene", function () { onScene(current()); });
        model.on("change:svg", function () { onScene(current()); });
      }
    });
    model.on("change:position", function () {
      var i = model.get("position");
      if (i !== viewer.position) { applying = true; viewer.show(i); applying = false; }
    });
  }
};
