/* Predict mode: before each step the learner types what it computes (a value going
   forward, the gradients going backward); the lab checks to 4 significant digits from the
   right numbers in the frame, advances on a right answer, and on a wrong one shows the
   chain-rule sum with the learner's numbers beside the right ones and which factor is off.
   The tally is the model's "score" key, so every host keeps it (a notebook reads w.score). */

/** Why a typed number is wrong: {verdict, rows: [[what, yours, right]], sum: [lines]}. */
function diagnose(ask, typed) {
  if (ask.field === "data") {
    const flipped = ask.right !== 0 && sameTo4(typed, -ask.right);
    return {verdict: flipped ? "the sign is off" : "the value is off: compute " + ask.answer,
            rows: [[ask.name, typed, ask.right]], sum: [ask.answer]};
  }
  if (ask.seed) {
    return {verdict: "the output's gradient with respect to itself is 1 (the seed)",
            rows: [["d" + ask.name + "/d" + ask.name, typed, 1]], sum: []};
  }
  const name = ask.name, via = ask.via, up = ask.up, before = ask.before;
  if (up === null || before === null || ask.terms.some((t) => t.local === null)) {
    return {verdict: "the right value is " + fmt(ask.right) + " (this step's rule is not a " +
            "table row, so the lab cannot split it into factors)",
            rows: [[name + ".grad after", typed, ask.right]], sum: []};
  }
  const locals = ask.terms.map((t) => t.local), L = locals.reduce((a, b) => a + b, 0);
  const rightGrad = ask.right, contrib = up * L, yours = typed - before;
  const rule = ask.terms.map((t) => t.rule).filter((r) => r).join(" + ");
  const dLocal = "d" + via + "/d" + name, dUp = "dL/d" + via;
  const uses = locals.length > 1 ? " (" + locals.length + " uses, summed)" : "";
  const sum = [name + ".grad += " + dUp + " \u00b7 " + dLocal + uses,
               "right: " + fmt(before) + " + " + fmt(up) + " \u00b7 " + fmt(L) + " = " + fmt(rightGrad)];
  let factor = "local", impliedLocal = up !== 0 ? yours / up : null;
  let impliedUp = L !== 0 ? yours / L : null, verdict = null, rows = null;
  const near = (ask.near || []).find((n) => n[1] !== null && impliedLocal !== null &&
                                             sameTo4(impliedLocal, n[1]));
  if (before !== 0 && sameTo4(typed, contrib)) {
    verdict = name + ".grad already held " + fmt(before) + " from another use: a gradient " +
      "adds up (+=) over every use, it is not replaced";
    rows = [[name + ".grad before", 0, before], [name + ".grad after", typed, rightGrad]];
  } else if (contrib !== 0 && sameTo4(yours, -contrib)) {
    verdict = "the sign is off: the term is " + fmt(up) + " \u00b7 " + fmt(L) + " = " + fmt(contrib);
    rows = [["the term", yours, contrib]];
  } else if (locals.length > 1 && locals.some((l) => sameTo4(yours, up * l))) {
    verdict = name + " is used " + locals.length + " times by " + via +
      ": add one term per use (" + locals.map(fmt).join(" + ") + " = " + fmt(L) + ")";
    factor = "local";
  } else if (sameTo4(yours, L) && up !== 1) {
    factor = "upstream"; impliedUp = 1;
  } else if (sameTo4(yours, up) && L !== 1) {
    factor = "local"; impliedLocal = 1;
  } else if (!near && impliedUp !== null && impliedLocal === null) {
    factor = "upstream";
  }
  if (!verdict && factor === "local") {
    verdict = "the local derivative is off: your answer means " + dLocal + " = " +
      (impliedLocal === null ? "?" : fmt(impliedLocal)) + (near ? " (" + near[0] + ")" : "") +
      "; the rule gives " + dLocal + " = " + (rule ? rule + " = " : "") + fmt(L);
  } else if (!verdict) {
    verdict = "the upstream gradient is off: your answer means " + dUp + " = " +
      fmt(impliedUp) + "; " + via + ".grad is " + fmt(up);
  }
  if (!rows) {
    rows = [[dUp + " (upstream)", factor === "upstream" ? impliedUp : up, up],
            [dLocal + " (local)", factor === "local" ? impliedLocal : L, L],
            [name + ".grad before", before, before], [name + ".grad after", typed, rightGrad]];
  }
  sum.push("yours: " + fmt(typed));
  return {verdict, rows, sum, factor};
}

function Quiz(box, ctl) {
  // ctl: {scene(), position(), score(), limit(), setScore(score, goTo), restart()}
  let shownFor = null, diagnosisFor = null;

  function tally(s) {
    const asked = s.right + s.wrong;
    return "score: " + s.right + " of " + asked + " right the first time";
  }

  function render(on) {
    box.hidden = !on;
    if (!on) { box.innerHTML = ""; shownFor = null; return; }
    const scene = ctl.scene(), s = ctl.score(), limit = ctl.limit();
    const last = scene.frames.length - 1, i = ctl.position();
    const key = [scene.version, limit, i, last].join(":");
    if (key === shownFor) {  // the same question: keep what was typed and its diagnosis
      const line = box.querySelector(".ag-score");
      if (line && !line.classList.contains("ag-final")) { line.textContent = tally(s); }
      return;
    }
    shownFor = key;
    box.innerHTML = "";
    box.appendChild(h("h3", {text: "Predict"}));
    if (limit >= last) {
      box.appendChild(h("div", {cls: "ag-score ag-final", text: "Done! " + tally(s) + "."}));
      const again = h("button", {cls: "ag-quiz-again", text: "Predict again"});
      again.addEventListener("click", () => ctl.restart());
      box.appendChild(again);
      return;
    }
    if (i < limit) {
      box.appendChild(h("div", {cls: "ag-hint", text: "You have seen this step: step " +
        "forward (\u2192) to the next question."}));
      box.appendChild(h("div", {cls: "ag-score", text: tally(s)}));
      return;
    }
    const j = limit + 1, f = scene.frames[j];
    const phase = j < scene.forward ? "Forward: what value does this step compute?" :
      "Backward: what gradient does this step leave?";
    box.appendChild(h("div", {cls: "ag-quiz-phase", text: phase}));
    const fields = (f.ask || []).map((a) => {
      const input = h("input", {type: "text", inputmode: "decimal", cls: "ag-answer",
        "data-node": String(a.node), "aria-label": a.question, autocomplete: "off"});
      input.addEventListener("keydown", (e) => {
        if (e.key === "Enter") { e.preventDefault(); check(j, f, fields); }
      });
      box.appendChild(h("label", {cls: "ag-ask"}, [h("span", {text: a.question}), input]));
      return input;
    });
    const checkBtn = h("button", {cls: "ag-quiz-check", text: "Check"});
    const skip = h("button", {cls: "ag-quiz-skip", text: "Show answer",
                              title: "reveal this step (counts as a miss)"});
    checkBtn.addEventListener("click", () => check(j, f, fields));
    skip.addEventListener("click", () => answered(j, false));
    box.appendChild(h("div", {cls: "ag-row"}, [checkBtn, skip]));
    box.appendChild(h("div", {cls: "ag-diagnosis"}));
    box.appendChild(h("div", {cls: "ag-score", text: tally(s)}));
    if (fields.length && box.isConnected && box.closest(".ag-lab").contains(document.activeElement)) {
      fields[0].focus({preventScroll: true});
    }
  }

  function answered(j, right) {
    const s = Object.assign({}, ctl.score());
    if (right && s.missed !== j) { s.right += 1; }
    if (!right && s.missed !== j) { s.wrong += 1; }
    s.missed = -1;
    s.reached = j;
    diagnosisFor = null;
    ctl.setScore(s, j);
  }

  function check(j, f, fields) {
    const typed = fields.map((el) => el.value.trim() === "" ? NaN : Number(el.value));
    const out = box.querySelector(".ag-diagnosis");
    if (typed.some((x) => !isFinite(x))) {
      out.textContent = "type a number in every box (like 0.5, -3 or 1e-4)";
      return;
    }
    const wrong = [];
    f.ask.forEach((a, n) => {
      const ok = a.right === null || sameTo4(typed[n], a.right);
      fields[n].classList.toggle("ag-wrong", !ok);
      fields[n].classList.toggle("ag-right", ok);
      if (!ok) { wrong.push([a, typed[n]]); }
    });
    if (!wrong.length) { answered(j, true); return; }
    const s = Object.assign({}, ctl.score());
    if (s.missed !== j) { s.wrong += 1; s.missed = j; }
    diagnosisFor = j;
    out.innerHTML = "";
    wrong.forEach((w) => out.appendChild(explain(w[0], w[1])));
    ctl.setScore(s, null);
    box.querySelector(".ag-score").textContent = tally(s);
  }

  function explain(ask, typed) {
    const d = diagnose(ask, typed);
    const table = h("table", {cls: "ag-table ag-compare"}, [
      h("tr", {}, ["", "yours", "right"].map((t) => h("th", {text: t})))].concat(
      d.rows.map((r) => h("tr", {cls: sameTo4(r[1], r[2]) ? "" : "ag-fail"},
        [r[0], fmt(r[1]), fmt(r[2])].map((t) => h("td", {text: t}))))));
    return h("div", {cls: "ag-diag", "data-factor": d.factor || ask.field},
             [h("div", {cls: "ag-msg ag-bad ag-verdict", text: ask.name + ": " + d.verdict}),
              h("pre", {cls: "ag-diag-sum", text: d.sum.join("\n")}), table]);
  }

  return {render, pending: () => diagnosisFor};
}
