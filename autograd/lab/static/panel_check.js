/* The "check" panel: each input's gradient against finite differences, the blame line
   naming the first op whose local rule is wrong, and the verdict (LabState.panel_check). */

registerPanel("check", (el, c) => {
  el.innerHTML = "";
  const rows = [h("tr", {}, ["input", "analytic", "numeric", "abs err", ""]
    .map((t) => h("th", {text: t})))].concat(c.rows.map((r) =>
    h("tr", {cls: r.status === "FAIL" ? "ag-fail" : ""}, [
      h("td", {text: r.short || r.name, title: r.name}),
      ...[r.analytic, r.numeric, r.abs_err, r.status].map((t) => h("td", {text: t}))])));
  el.appendChild(h("h3", {text: "Gradient check"}));
  el.appendChild(h("div", {cls: "ag-tablewrap"}, [h("table", {cls: "ag-table ag-checktable"}, rows)]));
  if (c.blame) { el.appendChild(h("pre", {cls: "ag-blame", text: c.blame})); }
  el.appendChild(h("div", {cls: "ag-msg ag-verdict" + (c.ok ? "" : " ag-bad"), text: c.verdict}));
});
