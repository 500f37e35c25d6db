"""fit's callbacks, Keras' way: hook order and logs, plain objects, stop_training,
EarlyStopping, ModelCheckpoint, weights current inside hooks on both engines,
validation_split."""

from __future__ import annotations

import json

import numpy as np
import pytest

import nn
from autograd.errors import ConfigError, ModelFileError
from nn.keras.callbacks import (
    Callback,
    EarlyStopping,
    LambdaCallback,
    ModelCheckpoint,
    TerminateOnNaN,
)

ENGINES = pytest.mark.parametrize("compiled", [True, False], ids=["compiled", "scalar"])


def model_and_data(n=24, seed=0):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, 2))
    y = (X[:, 0] * X[:, 1] > 0).astype(int)
    model = nn.Sequential([nn.Dense(6, "tanh", input_shape=(2,)), nn.Dense(1, "sigmoid")],
                          seed=seed)
    model.compile(optimizer=nn.Adam(lr=0.05), loss="binary_crossentropy", metrics=["accuracy"])
    return model, X, y


class Recorder(Callback):
    """Every hook call, with a copy of its logs."""

    def __init__(self):
        super().__init__()
        self.calls = []

    def __getattribute__(self, name):
        if name.startswith("on_"):
            return lambda *args: self.calls.append((name, *[
                dict(a) if isinstance(a, dict) else a for a in args]))
        return super().__getattribute__(name)


def test_hooks_run_in_keras_order_with_keras_logs():
    model, X, y = model_and_data(12)
    rec = Recorder()
    history = model.fit(X, y, epochs=2, batch_size=6, callbacks=[rec], verbose=0,
                        validation_data=(X[:4], y[:4]))
    names = [c[0] for c in rec.calls]
    per_epoch = ["on_epoch_begin", "on_train_batch_begin", "on_train_batch_end",
                 "on_train_batch_begin", "on_train_batch_end", "on_test_begin", "on_test_end",
                 "on_epoch_end"]
    assert names == ["on_train_begin", *per_epoch, *per_epoch, "on_train_end"]
    epoch_ends = [c for c in rec.calls if c[0] == "on_epoch_end"]
    assert [c[1] for c in epoch_ends] == [0, 1]
    assert epoch_ends[1][2] == {k: v[1] for k, v in history.history.items()}
    assert list(epoch_ends[0][2]) == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert rec.model is model and rec.params["epochs"] == 2 and rec.params["steps"] == 2
    assert model.history is history


def test_a_plain_object_with_on_epoch_end_is_a_callback():
    seen = []

    class Plain:
        def on_epoch_end(self, epoch, logs):
            seen.append((epoch, round(logs["loss"], 12)))

    model, X, y = model_and_data()
    history = model.fit(X, y, epochs=3, callbacks=[Plain()], verbose=0)
    assert seen == [(e, round(v, 12)) for e, v in enumerate(history.history["loss"])]


def test_lambda_callback_and_terminate_on_nan():
    ends = []
    model, X, y = model_and_data()
    model.fit(X, y, epochs=2, verbose=0,
              callbacks=[LambdaCallback(on_epoch_end=lambda e, logs: ends.append(e)),
                         TerminateOnNaN()])
    assert ends == [0, 1]
    with pytest.raises(ConfigError, match="LambdaCallback: on_epoch= must be a function"):
        LambdaCallback(on_epoch=print)


@pytest.mark.parametrize("callbacks, message", [
    (EarlyStopping(), "must be a list of callbacks"),
    ([EarlyStopping], "callbacks\\[0\\] is the class EarlyStopping; pass an instance"),
    ([object()], "has none of the callback methods"),
])
def test_bad_callbacks_are_refused_before_training(callbacks, message):
    model, X, y = model_and_data()
    before = model.state_dict()
    with pytest.raises(ConfigError, match=message):
        model.fit(X, y, callbacks=callbacks, verbose=0)
    assert model.state_dict() == before


@ENGINES
def test_weights_inside_hooks_are_the_current_ones(compiled):
    model, X, y = model_and_data()
    snapshots = []
    model.fit(X, y, epochs=3, batch_size=8, verbose=0, compiled=compiled,
              callbacks=[LambdaCallback(on_epoch_end=lambda e, logs:
                                        snapshots.append(model.get_weights()))])
    twin, _, _ = model_and_data()
    assert len(snapshots) == 3
    for epoch in range(3):  # the same run, one epoch per fit
        twin.fit(X, y, epochs=epoch + 1, initial_epoch=epoch, batch_size=8, verbose=0,
                 compiled=compiled)
        assert all(np.array_equal(a, b) for a, b in zip(snapshots[epoch], twin.get_weights()))
    assert all(np.array_equal(a, b) for a, b in zip(snapshots[-1], model.get_weights()))
    assert not np.array_equal(snapshots[0][0], snapshots[-1][0])


@ENGINES
def test_a_callback_may_set_the_weights_mid_training(compiled):
    model, X, y = model_and_data()
    start = model.get_weights()

    class Reset(Callback):
        def on_train_batch_end(self, batch, logs=None):
            self.model.set_weights(start)  # every step is undone

    model.fit(X, y, epochs=2, batch_size=8, verbose=0, compiled=compiled, callbacks=[Reset()])
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), start))


def test_stop_training_ends_after_the_epoch():
    class StopAtOne(Callback):
        def on_epoch_end(self, epoch, logs=None):
            if epoch == 1:
                self.model.stop_training = True

    model, X, y = model_and_data()
    assert model.fit(X, y, epochs=10, verbose=0, callbacks=[StopAtOne()]).epoch == [0, 1]
    assert len(model.fit(X, y, epochs=2, verbose=0).epoch) == 2  # reset by the next fit


# -- EarlyStopping -----------------------------------------------------------------------------


def fake_fit(callback, values, monitor="val_loss"):
    """Run a callback over a made-up metric curve, as fit would."""
    model, _, _ = model_and_data()
    model.stop_training = False
    weights = []
    callback.set_model(model)
    callback.on_train_begin({})
    for epoch, value in enumerate(values):
        for p in model.parameters():
            p.data = float(epoch)
        weights.append(model.get_weights())
        callback.on_epoch_end(epoch, {monitor: value})
        if model.stop_training:
            break
    callback.on_train_end({})
    return epoch, model, weights


@pytest.mark.parametrize("values, kw, stopped", [
    ([5, 4, 3, 3.5, 3.6, 2], {"patience": 2}, 4),
    ([5, 4, 3, 3.5, 3.6, 2], {"patience": 3}, 5),
    ([5, 4.95, 4.9, 4.85], {"patience": 1, "min_delta": 0.1}, 1),
    ([0.5, 0.6, 0.7, 0.65], {"monitor": "val_accuracy", "patience": 0}, 3),
    ([1, 2, 3, 4], {"monitor": "val_accuracy", "mode": "min", "patience": 1}, 1),
    ([3, 3.1, 2.9], {"baseline": 2.0, "patience": 2}, 1),  # never better than the baseline
    ([3, 3.1, 2.9], {"patience": 2}, 2),
])
def test_early_stopping_follows_keras(values, kw, stopped):
    monitor = kw.get("monitor", "val_loss")
    epoch, _, _ = fake_fit(EarlyStopping(**kw), values, monitor)
    assert epoch == stopped


def test_early_stopping_restores_the_best_weights(capsys):
    cb = EarlyStopping(patience=1, restore_best_weights=True, verbose=1)
    epoch, model, weights = fake_fit(cb, [3, 1, 2, 2.5, 0])
    assert epoch == 2 and cb.best_epoch == 1
    assert all(np.array_equal(a, b) for a, b in zip(model.get_weights(), weights[1]))
    assert capsys.readouterr().out.splitlines() == [
        "Epoch 3: early stopping", "Restoring model weights from the end of the best epoch: 2."]


def test_early_stopping_in_a_real_fit_with_validation_split():
    model, X, y = model_and_data(40)
    cb = EarlyStopping(monitor="val_loss", patience=0, restore_best_weights=True)
    history = model.fit(X, y, epochs=200, batch_size=8, validation_split=0.25, verbose=0,
                        callbacks=[cb])
    losses = history.history["val_loss"]
    assert len(losses) < 200 and len(history.history["loss"]) == len(losses)
    assert model.evaluate(X[30:], y[30:])[0] == pytest.approx(min(losses), rel=1e-9)


def test_early_stopping_warns_about_a_missing_metric():
    model, X, y = model_and_data()
    with pytest.warns(UserWarning, match="monitors 'val_loss', which is not in the logs"):
        history = model.fit(X, y, epochs=2, verbose=0, callbacks=[EarlyStopping()])
    assert len(history.epoch) == 2


def test_validation_split_holds_out_the_last_samples_before_shuffling():
    model, X, y = model_and_data(20)
    history = model.fit(X, y, epochs=1, validation_split=0.2, verbose=0, shuffle=True)
    assert history.history["val_loss"][0] == pytest.approx(model.evaluate(X[16:], y[16:])[0])


# -- ModelCheckpoint ----------------------------------------------------------------------------


def test_model_checkpoint_writes_json_per_epoch_with_the_name_filled_in(tmp_path):
    model, X, y = model_and_data()
    path = str(tmp_path / "ckpt-{epoch:02d}-{loss:.3f}.json")
    history = model.fit(X, y, epochs=3, verbose=0, callbacks=[ModelCheckpoint(path)])
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == [f"ckpt-{e + 1:02d}-{v:.3f}.json"
                     for e, v in enumerate(history.history["loss"])]
    last = nn.keras.models.load_model(tmp_path / files[-1])
    assert all(np.array_equal(a, b) for a, b in zip(last.get_weights(), model.get_weights()))


def test_model_checkpoint_save_best_only(tmp_path, capsys):
    cb = ModelCheckpoint(tmp_path / "best.json", monitor="val_loss", save_best_only=True,
                         verbose=1)
    epoch, model, weights = fake_fit(cb, [3, 2, 2.5, 1, 4])
    saved = json.loads((tmp_path / "best.json").read_text())["state"]
    assert set(saved.values()) == {3.0}  # epoch 3 (counted from 0) had the best val_loss
    assert capsys.readouterr().out.count("improved") == 3


def test_model_checkpoint_refuses_keras_binary_names_and_unknown_keys(tmp_path):
    with pytest.raises(ModelFileError, match="use a .json name such as 'best.json'"):
        ModelCheckpoint("best.keras")
    model, X, y = model_and_data()
    with pytest.raises(ConfigError, match="cannot fill in .*val_acc"):
        model.fit(X, y, epochs=1, verbose=0,
                  callbacks=[ModelCheckpoint(str(tmp_path / "m-{val_acc:.2f}.json"))])
