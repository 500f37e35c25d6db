"""Optimizers against hand-written reference updates (PyTorch's rules), defaults, bad settings."""

from __future__ import annotations

import math

import numpy as np
import pytest

import nn
from autograd import Value
from autograd.errors import ConfigError, InputTypeError
from nn.optim import SGD, Adam, AdamW, RMSprop

START = [0.5, -1.5, 2.0]
STEPS = 6


def grad_of(p: list[float], t: int) -> list[float]:
    """A made-up gradient that changes every step and depends on the parameters."""
    return [math.sin(3 * x + t) + 0.1 * t * x for x in p]


def run(make_opt) -> list[float]:
    """Run the optimizer for STEPS steps with grad_of, return the final parameters."""
    params = [Value(x) for x in START]
    opt = make_opt(params)
    for t in range(STEPS):
        opt.zero_grad()
        for p, g in zip(params, grad_of([p.data for p in params], t)):
            p.grad = g
        opt.step()
    return [p.data for p in params]


def ref_sgd(lr, momentum=0.0, wd=0.0, nesterov=False):
    p, buf = list(START), [None] * len(START)
    for t in range(STEPS):
        g = grad_of(p, t)
        for i in range(len(p)):
            d = g[i] + wd * p[i]
            if momentum:
                buf[i] = d if buf[i] is None else momentum * buf[i] + d
                d = d + momentum * buf[i] if nesterov else buf[i]
            p[i] -= lr * d
    return p


def ref_rmsprop(lr, alpha, eps, momentum=0.0, wd=0.0):
    p, v, buf = list(START), [0.0] * 3, [0.0] * 3
    for t in range(STEPS):
        g = grad_of(p, t)
        for i in range(3):
            gi = g[i] + wd * p[i]
            v[i] = alpha * v[i] + (1 - alpha) * gi * gi
            step = gi / (math.sqrt(v[i]) + eps)
            if momentum:
                buf[i] = momentum * buf[i] + step
                step = buf[i]
            p[i] -= lr * step
    return p


def ref_adam(lr, b1, b2, eps, wd=0.0):
    p, m, v = list(START), [0.0] * 3, [0.0] * 3
    for t in range(1, STEPS + 1):
        g = grad_of(p, t - 1)
        for i in range(3):
            gi = g[i] + wd * p[i]
            m[i] = b1 * m[i] + (1 - b1) * gi
            v[i] = b2 * v[i] + (1 - b2) * gi * gi
            m_hat, v_hat = m[i] / (1 - b1**t), v[i] / (1 - b2**t)
            p[i] -= lr * m_hat / (math.sqrt(v_hat) + eps)
    return p


def ref_adamw(lr, b1, b2, eps, wd):
    """PyTorch's AdamW: decay the parameter first, then Adam's step on the raw gradient."""
    p, m, v = list(START), [0.0] * 3, [0.0] * 3
    for t in range(1, STEPS + 1):
        g = grad_of(p, t - 1)
        for i in range(3):
            p[i] *= 1 - lr * wd
            m[i] = b1 * m[i] + (1 - b1) * g[i]
            v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i]
            p[i] -= lr / (1 - b1**t) * m[i] / (math.sqrt(v[i]) / math.sqrt(1 - b2**t) + eps)
    return p


@pytest.mark.parametrize("kw", [
    {}, {"lr": 0.3}, {"lr": 0.1, "momentum": 0.9}, {"lr": 0.05, "weight_decay": 0.1},
    {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01},
    {"lr": 0.1, "momentum": 0.9, "nesterov": True}])
def test_sgd_matches_reference(kw):
    got = run(lambda ps: SGD(ps, **kw))
    expected = ref_sgd(kw.get("lr", 0.01), kw.get("momentum", 0.0), kw.get("weight_decay", 0.0),
                       kw.get("nesterov", False))
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("kw", [
    {}, {"lr": 0.01, "alpha": 0.99, "eps": 1e-8}, {"lr": 0.02, "momentum": 0.9},
    {"lr": 0.01, "weight_decay": 0.1}])
def test_rmsprop_matches_reference(kw):
    got = run(lambda ps: RMSprop(ps, **kw))
    expected = ref_rmsprop(kw.get("lr", 0.001), kw.get("alpha", 0.9), kw.get("eps", 1e-7),
                           kw.get("momentum", 0.0), kw.get("weight_decay", 0.0))
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("kw", [
    {}, {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-8}, {"lr": 0.05, "weight_decay": 0.1}])
def test_adam_matches_reference(kw):
    got = run(lambda ps: Adam(ps, **kw))
    b1, b2 = kw.get("betas", (0.9, 0.999))
    expected = ref_adam(kw.get("lr", 0.001), b1, b2, kw.get("eps", 1e-7),
                        kw.get("weight_decay", 0.0))
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("kw", [
    {}, {"lr": 0.1, "betas": (0.8, 0.99), "eps": 1e-8}, {"lr": 0.05, "weight_decay": 0.5},
    {"lr": 0.05, "weight_decay": 0.0}])
def test_adamw_matches_pytorchs_rule(kw):
    got = run(lambda ps: AdamW(ps, **kw))
    b1, b2 = kw.get("betas", (0.9, 0.999))
    expected = ref_adamw(kw.get("lr", 0.001), b1, b2, kw.get("eps", 1e-7),
                         kw.get("weight_decay", 0.004))
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_adamw_decay_is_decoupled_from_the_gradient():
    w, v = Value(2.0), Value(2.0)
    adamw, adam = AdamW([w], lr=0.1, weight_decay=0.5), Adam([v], lr=0.1, weight_decay=0.5)
    for _ in range(3):  # zero gradients: AdamW only shrinks, Adam (L2) takes full Adam steps
        adamw.step()
        adam.step()
    assert w.data == pytest.approx(2.0 * 0.95**3, rel=1e-12)
    assert v.data == pytest.approx(2.0 - 3 * 0.1, abs=1e-3)
    assert run(lambda ps: AdamW(ps, weight_decay=0.0)) == run(lambda ps: Adam(ps))


def test_adam_first_step_moves_each_parameter_by_about_lr():
    params = [Value(1.0), Value(-2.0)]
    params[0].grad, params[1].grad = 123.0, -0.001
    Adam(params, lr=0.01).step()
    assert params[0].data == pytest.approx(1.0 - 0.01, rel=1e-6)
    assert params[1].data == pytest.approx(-2.0 + 0.01, rel=1e-4)


def test_keras_default_values():
    ps = [Value(1.0)]
    assert (SGD(ps).lr, SGD(ps).momentum) == (0.01, 0.0)
    assert (RMSprop(ps).lr, RMSprop(ps).alpha, RMSprop(ps).eps) == (0.001, 0.9, 1e-7)
    assert (Adam(ps).lr, Adam(ps).betas, Adam(ps).eps) == (0.001, (0.9, 0.999), 1e-7)
    assert (AdamW(ps).lr, AdamW(ps).weight_decay, AdamW(ps).eps) == (0.001, 0.004, 1e-7)


def test_step_touches_data_only_and_builds_no_graph():
    w = Value(2.0)
    y = w * w
    y.backward()
    opt = SGD([w], lr=0.25)
    opt.step()
    assert w.data == pytest.approx(1.0) and w.grad == 4.0
    assert w.children == () and y.children == (w, w)


def test_accepts_a_module_and_a_changing_learning_rate():
    model = nn.MLP(2, [2, 1], seed=0)
    opt = SGD(model, lr=1.0)
    assert opt.params == model.parameters()
    opt.lr = 0.5
    model([1.0, 1.0]).backward()
    before = [p.data for p in model.parameters()]
    opt.step()
    grads = [p.grad for p in model.parameters()]
    assert [p.data for p in model.parameters()] == pytest.approx(
        [b - 0.5 * g for b, g in zip(before, grads)])
    opt.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_unbound_optimizer_binds_later():
    opt = Adam(lr=0.1)
    with pytest.raises(ConfigError, match="no parameters"):
        opt.step()
    w = Value(1.0)
    opt.bind([w])
    w.grad = 1.0
    opt.step()
    assert w.data == pytest.approx(0.9)


@pytest.mark.parametrize("make, message", [
    (lambda ps: SGD(ps, lr=-0.1), "SGD: lr must be >= 0, got -0.1"),
    (lambda ps: SGD(ps, momentum=-1), "SGD: momentum must be >= 0"),
    (lambda ps: SGD(ps, lr="fast"), "SGD: lr must be a number, got 'fast'"),
    (lambda ps: SGD(ps, nesterov=True), "nesterov=True needs a momentum > 0"),
    (lambda ps: RMSprop(ps, alpha=1.0), "RMSprop: alpha must be >= 0 and < 1, got 1.0"),
    (lambda ps: RMSprop(ps, eps=-1e-8), "RMSprop: eps must be >= 0"),
    (lambda ps: Adam(ps, betas=(0.9, 1.5)), "Adam: betas\\[1\\] must be >= 0 and < 1"),
    (lambda ps: Adam(ps, betas=0.9), "Adam: betas must be a pair"),
    (lambda ps: Adam(ps, weight_decay=-0.1), "Adam: weight_decay must be >= 0"),
    (lambda ps: AdamW(ps, weight_decay=-0.1), "AdamW: weight_decay must be >= 0"),
    (lambda ps: SGD([]), "SGD: got an empty parameter list"),
    (lambda ps: SGD(ps + ps), "a parameter appears more than once"),
])
def test_bad_hyperparameters_are_value_errors(make, message):
    with pytest.raises(ValueError, match=message):
        make([Value(1.0)])


def test_setting_a_negative_lr_later_is_refused():
    opt = SGD([Value(1.0)])
    with pytest.raises(ConfigError, match="lr must be >= 0"):
        opt.lr = -1.0


def test_non_values_are_type_errors():
    with pytest.raises(InputTypeError, match="parameters must be Values, got 1.0"):
        SGD([1.0])
    with pytest.raises(InputTypeError, match="params must be a list of Values"):
        Adam(Value(1.0))


# -- the array path (compiled training) ---------------------------------------------------------


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True),
    lambda ps: RMSprop(ps, lr=0.02, momentum=0.5, weight_decay=0.1),
    lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
    lambda ps: AdamW(ps, lr=0.1, weight_decay=0.1)], ids=["sgd", "rmsprop", "adam", "adamw"])
def test_array_path_is_the_value_path_in_any_order(make):
    """update(theta, grad, order) on permuted arrays, alternating with step(): same numbers."""
    expected = run(make)
    params = [Value(x) for x in START]
    opt = make(params)
    order = np.array([2, 0, 1])  # theta[i] is params[order[i]]
    for t in range(STEPS):
        g = grad_of([p.data for p in params], t)
        if t % 3 == 2:  # the Value path, every third step
            for p, gi in zip(params, g):
                p.grad = gi
            opt.step()
            continue
        theta = np.array([params[j].data for j in order])
        opt.update(theta, np.array([g[j] for j in order]), order)
        for j, x in zip(order, theta.tolist()):
            params[j].data = x
    assert [p.data for p in params] == pytest.approx(expected, rel=1e-12, abs=1e-12)


def test_array_path_checks_sizes():
    with pytest.raises(ConfigError, match="3 parameters and 2 gradients for 3"):
        SGD([Value(1.0) for _ in range(3)]).update(np.zeros(3), np.zeros(2))


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True),
    lambda ps: RMSprop(ps, lr=0.02, momentum=0.5, weight_decay=0.1),
    lambda ps: RMSprop(ps),
    lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
    lambda ps: AdamW(ps, lr=0.1, weight_decay=0.1),
    lambda ps: nn.keras.optimizers.RMSprop(learning_rate=0.01, weight_decay=0.01)],
    ids=["sgd", "rmsprop", "rmsprop-default", "adam", "adamw", "keras-rmsprop"])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_an_update_split_over_threads_gives_the_same_numbers(make, dtype):
    """threads=3 updates three slices at once: bit for bit the one-thread update, state too."""
    n = nn.optim.SPLIT_MIN + 12_345  # long enough to split, not a multiple of anything
    rng = np.random.default_rng(0)
    start = rng.normal(size=n).astype(dtype)
    runs = []
    for threads in (1, 3):
        params = [Value(0.0) for _ in range(n)]
        opt = make(params)
        if opt.params != params:  # the Keras face binds at compile
            opt.bind(params)
        theta = start.copy()
        for t in range(4):
            grad = (np.sin(theta * 3 + t) + 0.1 * t * theta).astype(dtype)
            opt.update(theta, grad, threads=threads)
        runs.append((theta, [getattr(opt, name) for name in opt._state]))
    (one, state_one), (split, state_split) = runs
    assert one.dtype == dtype and np.array_equal(one, split)
    for a, b in zip(state_one, state_split):
        assert (a is None and b is None) or np.array_equal(a, b)


@pytest.mark.parametrize("make", [
    lambda ps: SGD(ps, lr=0.1, momentum=0.9, weight_decay=0.1, nesterov=True),
    lambda ps: SGD(ps, lr=0.1),
    lambda ps: RMSprop(ps, lr=0.02, momentum=0.5, weight_decay=0.1),
    lambda ps: RMSprop(ps),
    lambda ps: Adam(ps, lr=0.1, weight_decay=0.1),
    lambda ps: AdamW(ps, lr=0.1, weight_decay=0.1)],
    ids=["sgd-nesterov", "sgd", "rmsprop", "rmsprop-default", "adam", "adamw"])
@pytest.mark.parametrize("threads", [1, 3])
def test_a_staged_step_is_the_in_place_step_and_discarding_it_changes_nothing(make, threads):
    """update(out=) leaves theta and the state alone until commit(); discard() forgets it
    (the step count too); kept steps give bit for bit the in-place updates' numbers."""
    n = nn.optim.SPLIT_MIN + 777
    rng = np.random.default_rng(1)
    start = rng.normal(size=n)
    grads = [np.sin(start * 3 + t) for t in range(4)]
    params = [Value(0.0) for _ in range(n)]
    in_place, staged = make(params), make(params)
    theta, x = start.copy(), start.copy()
    for t, g in enumerate(grads):
        in_place.update(theta, g, threads=threads)
        out = np.empty_like(x)
        before_x = x.copy()
        before = {k: None if getattr(staged, k) is None else getattr(staged, k).copy()
                  for k in staged._state}
        count = getattr(staged, "t", None)
        with np.errstate(all="ignore"):  # at t=2 a step that overflows, then dropped
            staged.update(x, g * 1e300 if t == 2 else g, threads=threads, out=out)
        assert np.array_equal(x, before_x)  # the source is only read
        staged.discard()
        for k, s in before.items():  # None (not made yet) and zeros are the same state
            now = getattr(staged, k)
            assert (now is None or not now.any()) if s is None else np.array_equal(now, s)
        assert getattr(staged, "t", None) == count
        staged.update(x, g, threads=threads, out=out)
        staged.commit()
        x = out
    assert np.array_equal(theta, x)
    for k in in_place._state:
        a, b = getattr(in_place, k), getattr(staged, k)
        assert (a is None and b is None) or np.array_equal(a, b)


def test_an_optimizer_that_wraps_its_rule_cannot_stage():
    params = [Value(0.0) for _ in range(3)]
    opt = nn.keras.optimizers.RMSprop(learning_rate=0.01, weight_decay=0.01)
    opt.bind(params)
    assert RMSprop(params).can_stage() and not opt.can_stage()
    with pytest.raises(ConfigError, match="out= needs the base class's _update"):
        opt.update(np.zeros(3), np.zeros(3), out=np.zeros(3))
