"""check_backprop: right derivations pass, and each planted mistake gets its diagnosis."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from numpy_programs import Program, programs

import autograd.check.backprop.checker as backprop
from autograd import BackpropError, BackpropReport, InputTypeError, check_backprop


def check(program, mistake=None, **options):
    params, X, y = program.arrays()
    factor = options.pop("factor", 2.0)
    grad_fn = lambda *args: program.backward(*args, mistake=mistake, factor=factor)  # noqa: E731
    return check_backprop(program.forward, grad_fn, params, X, y, **options)


@settings(max_examples=20)
@given(programs())
def test_right_derivations_of_random_programs_pass(program):
    assume(program.kink_free())
    report = check(program)
    assert report.ok, str(report)
    assert all(r.kinds == () and r.fd_checked > 0 for r in report.rows)
    assert report.descends is True or all(np.all(g == 0) for g in report.true_grads.values())
    assert str(report).splitlines()[-1].startswith("ok: ")


def nonzero(report, name):
    return np.max(np.abs(report.true_grads[name])) > 1e-6


@settings(max_examples=10)
@given(programs(), st.sampled_from([(-1.0, "sign"), (2.0, "factor"), (0.5, "factor")]))
def test_a_flipped_sign_or_constant_factor_is_named(program, planted):
    assume(program.kink_free())
    c, kind = planted
    report = check(program, "sign" if c < 0 else "factor", factor=c)
    for row in report.rows:
        if nonzero(report, row.name):
            assert kind in row.kinds and row.factor == pytest.approx(c, rel=1e-3), str(report)
    if c < 0 and any(nonzero(report, n) for n in report.true_grads):
        assert report.descends is False and "CLIMBS the loss" in str(report)


@settings(max_examples=10)
@given(programs())
def test_the_batch_size_factor_is_named(program):
    assume(program.kink_free() and program.batch > 2)
    report = check(program, "factor", factor=float(program.batch))
    row = report["W1"]
    assume(nonzero(report, "W1"))
    assert "factor" in row.kinds and "N = " in row.diagnosis.detail, str(report)


@settings(max_examples=10)
@given(programs())
def test_a_transposed_gradient_is_named(program):
    assume(program.kink_free() and program.sizes[0] != program.sizes[1])
    report = check(program, "transpose")
    assert report["W1"].kinds == ("transposed",) and report["W1"].your_shape == \
        program.sizes[1::-1], str(report)
    assert [r.name for r in report.failures] == ["W1"]
    assert report.descends is None  # a (3, 2) gradient cannot update a (2, 3) weight


@settings(max_examples=10)
@given(programs(output="linear", loss="mse"))
def test_a_sigmoid_derivative_on_a_linear_output_is_named(program):
    assume(program.kink_free())
    report = check(program, "misplaced")
    last = f"W{len(program.acts)}"
    assume(not report[last].ok)  # (a dead relu layer can leave it unchanged)
    assert "derivative" in report[last].kinds, str(report)
    assert "a*(1-a)" in report[last].diagnosis.detail
    assert "applies no sigmoid there" in report[last].diagnosis.detail


@settings(max_examples=10)
@given(programs(acts=["sigmoid", "tanh", "relu", "softplus"]))
def test_a_missing_activation_derivative_is_named(program):
    assume(program.kink_free())
    report = check(program, "missing")
    assume(nonzero(report, "W1"))
    assume(not np.allclose(report.true_grads["W1"], report.your_grads["W1"], atol=1e-6))
    assert "derivative" in report["W1"].kinds, str(report)
    assert all(r.ok for r in report.rows if r.name not in ("W1", "b1"))


@settings(max_examples=10)
@given(programs(reg=0.1))
def test_a_dropped_regulariser_is_named(program):
    assume(program.kink_free())
    report = check(program, "dropped")
    for row in report.rows:
        if row.name.startswith("W"):
            assert "dropped" in row.kinds, str(report)
            assert "np.sum(W" in row.diagnosis.detail
        else:
            assert row.ok


# -- the classic cases, by hand ------------------------------------------------------------

X4 = np.array([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5], [-2.0, 1.0]])
Y4 = np.array([[1.0], [0.0], [2.0], [-1.0]])


def mse(theta, X, y):
    return np.mean(np.square(y - X.dot(theta)))


def sign_error_gradient(theta, X, y):
    m = len(X)
    return (1 / m) * X.T.dot(y - X.dot(theta))


def test_the_sign_error_regression_is_diagnosed_and_climbs():
    report = check_backprop(mse, sign_error_gradient, [np.zeros((2, 1))], X4, Y4, lr=0.1)
    row = report["theta"]
    assert not report.ok and row.kinds == ("sign", "factor") and row.factor == pytest.approx(-0.5)
    assert "the sign is flipped" in row.diagnosis.detail and "the 2" in row.diagnosis.detail
    assert report.descends is False and report.loss_after > report.loss
    text = str(report)
    assert "CLIMBS the loss" in text and text.splitlines()[-1] == \
        "FAILED: 1 of 1 parameters disagree (theta: factor -1/2)"
    # the same gradient is a (half-size) descent direction for `theta += lr * grad`
    plus = check_backprop(mse, sign_error_gradient, [np.zeros((2, 1))], X4, Y4, update="+=")
    assert plus["theta"].kinds == ("factor",) and plus.descends is True
    assert "the negative gradient" in plus["theta"].diagnosis.detail
    # X.dot(theta) is a plain array's method: numpy's own loop, so no array was recorded
    assert any("X.dot(theta) runs numpy's own loop" in note for note in report.notes)


def test_a_training_step_is_checked_by_the_step_it_takes():
    def step(theta, X, y):  # updates in place, as the recipe does
        theta -= 0.1 * sign_error_gradient(theta, X, y)

    report = check_backprop(mse, step, [np.zeros((2, 1))], X4, Y4, lr=0.1, step=True)
    assert report["theta"].kinds == ("sign", "factor") and report.descends is False
    assert "the training step CLIMBS the loss" in str(report)

    def right(theta, X, y):  # returns the new parameters
        return (theta - 0.1 * 2 * X.T @ (X @ theta - y) / len(X),)

    good = check_backprop(mse, right, {"theta": np.ones((2, 1))}, X4, Y4, lr=0.1, step=True)
    assert good.ok and good.descends and good.loss_after < good.loss


def test_the_report_is_an_aligned_table_with_worst_entries():
    report = check_backprop(mse, sign_error_gradient, [np.ones((2, 1))], X4, Y4)
    lines = str(report).splitlines()
    assert lines[0] == "check_backprop: 1 parameter, data X 4x2, y 4x1; atol=1e-06, rtol=0.0001"
    assert lines[1].startswith("true gradients: autograd on Values, confirmed by finite "
                               "differences (2 of 2 entries")
    header = lines[2]
    assert header.split() == ["name", "shape", "yours", "max", "abs", "err", "max", "rel",
                              "err", "status", "diagnosis"]
    assert lines[3][header.index("status"):].startswith("FAIL")
    assert any(line.strip().startswith("worst theta: theta[") for line in lines)
    assert isinstance(report, BackpropReport) and report.graph.op == "div"


def test_raise_on_failure_carries_the_report():
    with pytest.raises(BackpropError) as info:
        check_backprop(mse, sign_error_gradient, [np.zeros((2, 1))], X4, Y4,
                       raise_on_failure=True)
    assert isinstance(info.value, AssertionError)
    assert info.value.report["theta"].kind == "sign" and "factor -1/2" in str(info.value)


def test_gradients_by_name_and_shape_problems():
    def loss(W, b, X, y):
        return np.mean((X @ W + b - y) ** 2)

    def grads(W, b, X, y, per_sample=False):
        d = 2 * (X @ W + b - y) / len(X)
        return {"W": X.T @ d, "b": d if per_sample else d.sum()}

    params = {"W": np.ones((2, 1)), "b": np.zeros((1, 1))}
    fine = check_backprop(loss, grads, params, X4, Y4)
    assert fine.ok and "fine: the update broadcasts it" in fine["b"].note  # () for (1, 1)
    bad = check_backprop(loss, lambda *a: grads(*a, per_sample=True), params, X4, Y4)
    assert bad["b"].kinds == ("shape",) and "summed over its first axis it matches" in \
        bad["b"].diagnosis.detail
    with pytest.raises(InputTypeError, match="missing b"):
        check_backprop(loss, lambda *a: {"W": grads(*a)["W"]}, params, X4, Y4)
    with pytest.raises(InputTypeError, match="returned 1 arrays for 2 parameters"):
        check_backprop(loss, lambda *a: [grads(*a)["W"]], params, X4, Y4)


def test_zero_and_unused_gradients():
    def loss(W, b, X, y):  # b is not used
        return np.mean((X @ W - y) ** 2)

    def grads(W, b, X, y):
        return np.zeros_like(W), np.ones_like(b)

    report = check_backprop(loss, grads, [np.ones((2, 1)), np.ones((1, 1))], X4, Y4)
    assert report["W"].kinds == ("zero",) and report["b"].kinds == ("unused",)

    def with_penalty(W, b, X, y):  # yours is what leaving out the data term gives
        return np.mean((X @ W - y) ** 2) + 0.5 * np.sum(b ** 2)

    report = check_backprop(with_penalty, grads, [np.ones((2, 1)), np.ones((1, 1))], X4, Y4)
    assert report["W"].kinds == ("dropped", "zero") and report["b"].ok
    assert "np.mean((X @ W - y) ** 2)" in report["W"].diagnosis.detail


def test_user_errors_are_clear():
    with pytest.raises(InputTypeError, match="loss_fn must return a scalar loss"):
        check_backprop(lambda W, X, y: X @ W, lambda *a: a[0], [np.ones((2, 1))], X4, Y4)
    with pytest.raises(InputTypeError, match=r"turns them into numbers \(float\(\)"):
        check_backprop(lambda W, X, y: float(np.sum(W)), lambda *a: a[0], [np.ones(2)], X4, Y4)
    with pytest.raises(InputTypeError, match="update must be '-=' or '\\+='"):
        check_backprop(mse, sign_error_gradient, [np.ones((2, 1))], X4, Y4, update="-")
    with pytest.raises(InputTypeError, match="step=True needs"):
        check_backprop(mse, sign_error_gradient, [np.ones((2, 1))], X4, Y4, step=True)
    with pytest.raises(InputTypeError, match="np.arctan is not supported"):
        check_backprop(lambda W, X, y: np.sum(np.arctan(X @ W)), lambda *a: a[0],
                       [np.ones((2, 1))], X4, Y4)

    def crashing(theta, X, y):
        return np.dot(theta, X)  # shapes (2, 1) and (4, 2): the classic mix-up

    with pytest.raises(ValueError) as info:
        check_backprop(mse, crashing, [np.ones((2, 1))], X4, Y4)
    assert "raised by grad_fn(theta: 2x1, X: 4x2, y: 4x1)" in "".join(info.value.__notes__)


def test_a_large_batch_is_searched_on_its_first_samples(monkeypatch):
    monkeypatch.setattr(backprop, "SEARCH_LIMIT", 25_000)  # as if the batch were huge
    program = Program(40, (2, 3, 1), ("tanh", "linear"), "mse", 0.0, 3)
    report = check(program, "missing")
    assert "derivative" in report["W1"].kinds, str(report)
    assert "(found on the first" in report["W1"].diagnosis.detail
    assert any("were searched on the first" in note for note in report.notes)
    monkeypatch.setattr(backprop, "SEARCH_LIMIT", 10)  # nothing fits: said so, not guessed
    report = check(program, "missing")
    assert report["W1"].kinds == ("unknown",)
    assert any("was skipped" in note for note in report.notes)


def test_a_function_that_changes_its_data_in_place_leaves_the_callers_data_alone():
    X, y = np.array([[1.0, 2.0], [3.0, 5.0], [4.0, -1.0]]), [1.0, 0.0, 2.0]
    X_before, y_before = X.copy(), list(y)

    def loss(w, X, y):
        X -= X.mean(axis=0)  # centred in place: harmless twice, but it writes into X
        y.append(0.0)  # and a list grows
        return np.mean((X @ w - np.array(y[:3])) ** 2)

    def grad(w, X, y):
        X -= X.mean(axis=0)
        y.append(0.0)
        return [2 * X.T @ (X @ w - np.array(y[:3])) / 3]

    report = check_backprop(loss, grad, [np.array([0.5, -0.25])], X, y)
    assert report.ok, report
    assert np.array_equal(X, X_before) and y == y_before


def test_every_kind_a_diagnosis_names_is_a_row_of_the_mistake_table():
    """The kinds, labels and the search cost all come from one table, like the op table."""
    from autograd.check.backprop.mistake_kinds import KINDS, MISTAKES, search_cost, variants

    program = Program(8, (2, 3, 1), ("sigmoid", "linear"), "mse", 0.1, 3)
    for mistake in ("misplaced", "missing", "dropped"):
        report = check(program, mistake)
        for row in report.rows:
            assert set(row.kinds) <= set(KINDS), row.kinds
            if row.kinds:
                assert any(KINDS[k].label in row.diagnosis.short or k in ("sign", "factor")
                           for k in row.kinds), row.diagnosis
    names = [m.name for m in MISTAKES]
    assert len(set(names)) == len(names)
    params, X, y = program.arrays()
    names_in = list(params)
    graph = backprop._graph(program.forward, names_in, [params[n] for n in names_in], (X, y),
                            names_in + ["X", "y"])
    seen = list(variants(graph))
    assert {v.mistake.name for v in seen} == {m.name for m in MISTAKES if m.replay}
    assert search_cost(graph) >= len(seen) * graph.size > 0
