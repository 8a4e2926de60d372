"""Saving and loading fitted models: pickle, joblib and skops.io.

* ``skops.io`` round trips every kind of fitted model (classifiers with string,
  multiclass and multilabel targets; regressors with each loss family and
  several outputs; per-layer settings, dropout, float32, early stopping,
  callbacks, ``partial_fit``) with bit-identical predictions and state, and the
  loaded model trains on exactly like the original.
* A skops file names only skmlp's own types as untrusted (and user-written
  classes, by their own names), so ``trusted=`` can list exactly those.
* Every model records the skmlp version that saved it; another version loads
  it with an ``InconsistentVersionWarning`` naming both versions, or refuses it
  with an error naming both.
* Models saved by released versions, checked in under ``tests/data``, load and
  predict the values recorded when they were saved.

Regenerate the files of the current version with ``python
tests/test_persistence.py``: it writes ``skmlp-<version>-<kind>.pkl`` and
``.skops`` and ``skmlp-<version>.json`` (the data and the predictions to
expect), and leaves the files of earlier versions alone, which the tests keep
loading.
"""

import io
import json
import pickle
import sys
import warnings
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
import sklearn
import sklearn.exceptions
import skops
import skops.io as sio
from sklearn.exceptions import ConvergenceWarning

import skmlp
from skmlp import (
    BackpropMLPClassifier,
    BackpropMLPRegressor,
    StopWhenLossBelow,
    WeightSnapshots,
)
from skmlp._versions import InconsistentVersionWarning
from skmlp.activations import Activation

DATA = Path(__file__).resolve().parent / "data"
KINDS = ("classifier", "regressor")
FORMATS = ("pkl", "skops")

_rng = np.random.RandomState(0)
X = _rng.normal(size=(48, 4))
X32 = X.astype(np.float32)
Y_BINARY = np.where(X[:, 0] + X[:, 1] > 0, "yes", "no")
Y_MULTICLASS = np.array(["cat", "dog", "emu"])[
    (X[:, 0] > 0).astype(int) + (X[:, 2] > 0.5)
]
Y_MULTILABEL = (X[:, :3] > 0).astype(int)
Y_REGRESSION = X @ [1.0, -2.0, 0.5, 0.0] + 0.1 * _rng.normal(size=48)
Y_COUNTS = _rng.poisson(np.exp(0.5 * X[:, 0]))
Y_MULTIOUTPUT = np.c_[Y_REGRESSION, X[:, 1] * X[:, 2]]


def _quiet(method, *args, **kwargs):
    """``fit``/``partial_fit`` without the warnings of deliberately short fits."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        return method(*args, **kwargs)


def _partial_fit_twice(model, X, y, **kwargs):
    _quiet(model.partial_fit, X, y, **kwargs)
    return _quiet(model.partial_fit, X, y)


SMALL = dict(hidden_layer_sizes=(5,), max_iter=15, random_state=0)

# name -> (fitted model, X, y): what issue 18 lists, one model each.
CASES = {
    "binary-strings": lambda: (
        _quiet(BackpropMLPClassifier(**SMALL).fit, X, Y_BINARY),
        X,
        Y_BINARY,
    ),
    "multiclass-per-layer-dropout": lambda: (
        _quiet(
            BackpropMLPClassifier(
                hidden_layer_sizes=(5, 4),
                activation=("tanh", "relu"),
                weight_init=("glorot_uniform", "he_normal", "glorot_uniform"),
                dropout=(0.2, 0.1),
                max_iter=15,
                random_state=0,
            ).fit,
            X,
            Y_MULTICLASS,
        ),
        X,
        Y_MULTICLASS,
    ),
    "multilabel-sgd-callbacks": lambda: (
        _quiet(
            BackpropMLPClassifier(
                solver="sgd",
                learning_rate="invscaling",
                callbacks=[WeightSnapshots(every=5), StopWhenLossBelow(1e-3)],
                **SMALL,
            ).fit,
            X,
            Y_MULTILABEL,
        ),
        X,
        Y_MULTILABEL,
    ),
    "float32-lbfgs": lambda: (
        _quiet(BackpropMLPClassifier(solver="lbfgs", **SMALL).fit, X32, Y_BINARY),
        X32,
        Y_BINARY,
    ),
    "early-stopping": lambda: (
        _quiet(
            BackpropMLPClassifier(early_stopping=True, **SMALL).fit, X, Y_MULTICLASS
        ),
        X,
        Y_MULTICLASS,
    ),
    "partial-fit": lambda: (
        _partial_fit_twice(
            BackpropMLPClassifier(solver="sgd", **SMALL),
            X,
            Y_MULTICLASS,
            classes=["cat", "dog", "emu"],
        ),
        X,
        Y_MULTICLASS,
    ),
    "regressor-squared-error-multioutput": lambda: (
        _quiet(BackpropMLPRegressor(**SMALL).fit, X, Y_MULTIOUTPUT),
        X,
        Y_MULTIOUTPUT,
    ),
    "regressor-poisson": lambda: (
        _quiet(BackpropMLPRegressor("poisson", **SMALL).fit, X, Y_COUNTS),
        X,
        Y_COUNTS,
    ),
    "regressor-quantile-early-stopping": lambda: (
        _quiet(
            BackpropMLPRegressor(
                "quantile", quantile=0.9, early_stopping=True, **SMALL
            ).fit,
            X,
            Y_REGRESSION,
        ),
        X,
        Y_REGRESSION,
    ),
    "regressor-float32-partial-fit": lambda: (
        _partial_fit_twice(
            BackpropMLPRegressor(solver="sgd", **SMALL), X32, Y_REGRESSION
        ),
        X32,
        Y_REGRESSION,
    ),
}


def _predictions(model, X):
    out = {"predict": model.predict(X)}
    if hasattr(model, "predict_proba"):
        out["predict_proba"] = model.predict_proba(X)
    return out


def _train_on(model, X, y):
    """One more step: a partial_fit, or a short warm-started fit."""
    if model.solver != "lbfgs" and not model.early_stopping:
        return _quiet(model.partial_fit, X, y)
    return _quiet(model.set_params(warm_start=True, max_iter=3).fit, X, y)


def _skops_trusted(source):
    """The untrusted types of a skops file, all of them skmlp's own."""
    untrusted = (
        sio.get_untrusted_types(data=source)
        if isinstance(source, bytes)
        else sio.get_untrusted_types(file=source)
    )
    assert untrusted and all(name.startswith("skmlp.") for name in untrusted), untrusted
    return untrusted


def _assert_same(a, b, path="model"):
    """``a`` and ``b`` hold the same values, of the same types, at any depth."""
    assert type(a) is type(b), f"{path}: {type(a)} != {type(b)}"
    if isinstance(a, np.ndarray):
        assert a.dtype == b.dtype and a.shape == b.shape, path
        np.testing.assert_array_equal(a, b, err_msg=path, strict=True)
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for key in a:
            _assert_same(a[key], b[key], f"{path}[{key!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            _assert_same(x, y, f"{path}[{i}]")
    elif isinstance(a, (float, np.floating)) and np.isnan(a):
        assert np.isnan(b), path
    elif type(a).__module__.startswith(("skmlp.", "sklearn.")):
        getstate = getattr(a, "__getstate__", None)
        _assert_same(
            getstate() if getstate else vars(a),
            b.__getstate__() if getstate else vars(b),
            path,
        )
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


@pytest.mark.parametrize("case", CASES)
def test_skops_round_trip_is_identical_and_trains_on_like_the_original(case):
    original, X, y = CASES[case]()
    data = sio.dumps(original)
    loaded = sio.loads(data, trusted=_skops_trusted(data))
    pickled = pickle.loads(pickle.dumps(original))

    _assert_same(loaded.__getstate__(), original.__getstate__())
    for method, expected in _predictions(original, X).items():
        np.testing.assert_array_equal(getattr(loaded, method)(X), expected, strict=True)
    assert np.shares_memory(loaded.coefs_[0], loaded._network.params)

    for model in (original, loaded, pickled):
        _train_on(model, X, y)
    for model in (loaded, pickled):
        for a, b in zip(
            [*model.coefs_, *model.intercepts_],
            [*original.coefs_, *original.intercepts_],
        ):
            np.testing.assert_array_equal(a, b, strict=True)
        assert model.loss_curve_ == original.loss_curve_
        assert model.n_iter_ == original.n_iter_ and model.t_ == original.t_


def test_untrusted_types_are_exactly_skmlps_classes_of_the_model(tmp_path):
    clf = _quiet(BackpropMLPClassifier(**SMALL).fit, X, Y_BINARY)
    reg = _quiet(BackpropMLPRegressor(**SMALL).fit, X, Y_REGRESSION)
    sio.dump(clf, tmp_path / "clf.skops")
    sio.dump(reg, tmp_path / "reg.skops")
    shared = [
        "skmlp._training.TrainingState",
        "skmlp.activations.ReLU",
        "skmlp.initializers.SklearnUniform",
        "skmlp.layers.Dense",
        "skmlp.network.Network",
        "skmlp.optimizers.Adam",
    ]
    assert sio.get_untrusted_types(file=tmp_path / "clf.skops") == sorted(
        [
            *shared,
            "skmlp.classifier.BackpropMLPClassifier",
            "skmlp.losses.BinaryLogLoss",
        ]
    )
    assert sio.get_untrusted_types(file=tmp_path / "reg.skops") == sorted(
        [
            *shared,
            "skmlp.regressor.BackpropMLPRegressor",
            "skmlp.regression_losses.HalfSquaredError",
        ]
    )
    # Trusting one type fewer is refused, by skops, before anything is built.
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException, match="Dense"):
        sio.load(
            tmp_path / "clf.skops",
            trusted=[t for t in shared if t != "skmlp.layers.Dense"],
        )


class Softsign(Activation):
    """A user's activation, saved by its module and name."""

    def forward(self, Z):
        return Z / (1 + np.abs(Z))

    def derivative(self, Z, A):
        return (1 - np.abs(A)) ** 2


def record_nothing(estimator, record):
    """A user's callback function, saved by its module and name."""


def test_user_written_classes_and_functions_must_be_trusted_by_name(tmp_path):
    clf = BackpropMLPClassifier(
        activation=Softsign(), callbacks=[record_nothing], **SMALL
    )
    clf = _quiet(clf.fit, X, Y_BINARY)
    path = tmp_path / "clf.skops"
    sio.dump(clf, path)
    untrusted = sio.get_untrusted_types(file=path)
    own = [name for name in untrusted if not name.startswith("skmlp.")]
    assert own == [f"{__name__}.Softsign", f"{__name__}.record_nothing"]
    skmlp_types = [name for name in untrusted if name.startswith("skmlp.")]
    with pytest.raises(sio.exceptions.UntrustedTypesFoundException, match="Softsign"):
        sio.load(path, trusted=skmlp_types)
    loaded = sio.load(path, trusted=[*skmlp_types, *own])
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))
    assert loaded.callbacks == [record_nothing]
    # Dropping the callbacks before saving leaves the user's activation only.
    clf.set_params(callbacks=None)
    sio.dump(clf, path)
    assert f"{__name__}.record_nothing" not in sio.get_untrusted_types(file=path)


# -- versions ----------------------------------------------------------------


def _save(model, path, fmt):
    if fmt == "pkl":
        path.write_bytes(pickle.dumps(model))
    else:
        sio.dump(model, path)


def _load(path, fmt):
    if fmt == "pkl":
        return pickle.loads(path.read_bytes())
    return sio.load(path, trusted=_skops_trusted(path))


def _skmlp_warnings(caught):
    return [w for w in caught if issubclass(w.category, InconsistentVersionWarning)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_the_saving_version_is_recorded_and_the_same_version_loads_silently(
    tmp_path, fmt
):
    clf = _quiet(BackpropMLPClassifier(**SMALL).fit, X, Y_BINARY)
    assert clf.__getstate__()["_skmlp_version"] == skmlp.__version__
    assert "_skmlp_version" not in vars(clf)
    _save(clf, tmp_path / f"clf.{fmt}", fmt)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loaded = _load(tmp_path / f"clf.{fmt}", fmt)
    assert "_skmlp_version" not in vars(loaded)
    # joblib is pickle: the same check.
    joblib.dump(clf, tmp_path / "clf.joblib")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        joblib.load(tmp_path / "clf.joblib")


@pytest.mark.parametrize("fmt", FORMATS)
def test_another_version_loads_with_a_warning_naming_both(tmp_path, fmt, monkeypatch):
    reg = _quiet(BackpropMLPRegressor(**SMALL).fit, X, Y_REGRESSION)
    current = skmlp.__version__
    with monkeypatch.context() as patch:
        patch.setattr(skmlp, "__version__", "0.0.1")
        _save(reg, tmp_path / f"reg.{fmt}", fmt)
    with pytest.warns(InconsistentVersionWarning) as caught:
        loaded = _load(tmp_path / f"reg.{fmt}", fmt)
    (warning,) = _skmlp_warnings(caught)
    message = str(warning.message)
    assert "BackpropMLPRegressor" in message
    assert f"saved with skmlp 0.0.1 into skmlp {current}" in message
    assert warning.message.original_skmlp_version == "0.0.1"
    assert warning.message.current_skmlp_version == current
    # Filtered like scikit-learn's own version warning.
    assert issubclass(
        InconsistentVersionWarning, sklearn.exceptions.InconsistentVersionWarning
    )
    np.testing.assert_array_equal(loaded.predict(X), reg.predict(X))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("lost", ["dropout", "_network"])
def test_another_versions_unusable_state_is_refused_naming_both(
    tmp_path, fmt, lost, monkeypatch
):
    # As if a later version had added a parameter, or renamed the network.
    clf = _quiet(BackpropMLPClassifier(**SMALL).fit, X, Y_BINARY)
    state = clf.__getstate__()
    del state[lost]
    state["_skmlp_version"] = "0.0.1"
    monkeypatch.setattr(type(clf), "__getstate__", lambda self: state)
    _save(clf, tmp_path / f"clf.{fmt}", fmt)
    monkeypatch.undo()
    with pytest.raises(ValueError) as raised:
        _load(tmp_path / f"clf.{fmt}", fmt)
    message = str(raised.value)
    assert (
        f"saved with skmlp 0.0.1 and cannot be loaded with skmlp "
        f"{skmlp.__version__}" in message
    )
    assert repr(lost) in message


def test_a_state_without_a_version_is_an_unknown_version():
    clf = _quiet(BackpropMLPClassifier(**SMALL).fit, X, Y_BINARY)
    state = clf.__getstate__()
    del state["_skmlp_version"]
    loaded = BackpropMLPClassifier.__new__(BackpropMLPClassifier)
    with pytest.warns(InconsistentVersionWarning, match="version not recorded"):
        loaded.__setstate__(state)
    np.testing.assert_array_equal(loaded.predict_proba(X), clf.predict_proba(X))


# -- models saved by released versions -----------------------------------------

SAVED = sorted(DATA.glob("skmlp-*.json"))


@pytest.mark.parametrize("record", SAVED, ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("kind", KINDS)
def test_a_model_saved_by_a_released_version_loads_and_predicts(record, fmt, kind):
    saved = json.loads(record.read_text())
    version = saved["skmlp_version"]
    path = DATA / f"skmlp-{version}-{kind}.{fmt}"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = _load(path, fmt)
        except ValueError as error:
            # The policy's other branch: refused, naming both versions.
            assert version != skmlp.__version__
            assert version in str(error) and skmlp.__version__ in str(error)
            return
    ours = _skmlp_warnings(caught)
    if version == skmlp.__version__:
        assert not ours
    else:
        assert len(ours) == 1 and f"skmlp {version} into" in str(ours[0].message)
    expected = saved[kind]
    X = np.asarray(expected["X"], dtype=expected["dtype"])
    for method, values in expected["predictions"].items():
        got = getattr(model, method)(X)
        if got.dtype.kind in "fc":
            # Another BLAS may round the last bit of a sum differently.
            np.testing.assert_allclose(got, values, rtol=1e-12, atol=0)
        else:
            np.testing.assert_array_equal(got, values)


@pytest.mark.parametrize("record", SAVED, ids=lambda p: p.stem)
@pytest.mark.parametrize("kind", KINDS)
def test_a_released_models_pickle_and_skops_files_train_on_alike(record, kind):
    saved = json.loads(record.read_text())
    version, expected = saved["skmlp_version"], saved[kind]
    X = np.asarray(expected["X"], dtype=expected["dtype"])
    y = np.asarray(expected["y"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", InconsistentVersionWarning)
        try:
            models = [_load(DATA / f"skmlp-{version}-{kind}.{f}", f) for f in FORMATS]
        except ValueError:
            pytest.skip(f"skmlp {version}'s models are refused (tested above)")
    for model in models:
        _quiet(model.partial_fit, X, y)
    for a, b in zip(
        [*models[0].coefs_, *models[0].intercepts_],
        [*models[1].coefs_, *models[1].intercepts_],
    ):
        np.testing.assert_array_equal(a, b, strict=True)


def test_the_current_versions_files_are_checked_in_and_small():
    version = skmlp.__version__
    names = [f"skmlp-{version}.json"] + [
        f"skmlp-{version}-{kind}.{fmt}" for kind in KINDS for fmt in FORMATS
    ]
    missing = [name for name in names if not (DATA / name).is_file()]
    assert not missing, (
        f"{missing} missing: run `python tests/test_persistence.py` to save "
        f"skmlp {version}'s models"
    )
    assert all((DATA / name).stat().st_size < 10_000 for name in names)


# -- the script that writes tests/data ----------------------------------------


def _released_models():
    """The small models saved for each version, with their data."""
    rng = np.random.RandomState(42)
    X = np.round(rng.normal(size=(12, 3)), 3)
    labels = np.array(["cat", "dog", "emu"])[
        (X[:, 0] > 0).astype(int) + (X[:, 1] > 0.3)
    ]
    clf = BackpropMLPClassifier(
        hidden_layer_sizes=(4,), activation="tanh", max_iter=4, random_state=0
    )
    targets = np.round(np.c_[X[:, 0] - X[:, 1], X[:, 2] ** 2], 3)
    reg = BackpropMLPRegressor(hidden_layer_sizes=(3,), max_iter=4, random_state=0)
    return {
        "classifier": (_quiet(clf.fit, X, labels), X, labels),
        "regressor": (_quiet(reg.fit, X, targets), X, targets),
    }


def write_test_data(directory=DATA):
    """Save the current version's models and the predictions they must give."""
    directory.mkdir(exist_ok=True)
    version = skmlp.__version__
    record = {
        "skmlp_version": version,
        "written_by": "python tests/test_persistence.py",
        "versions": {
            "python": sys.version.split()[0],
            "numpy": np.__version__,
            "scikit-learn": sklearn.__version__,
            "skops": skops.__version__,
        },
    }
    for kind, (model, X, y) in _released_models().items():
        (directory / f"skmlp-{version}-{kind}.pkl").write_bytes(
            pickle.dumps(model, protocol=4)
        )
        buffer = io.BytesIO()
        sio.dump(model, buffer, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
        (directory / f"skmlp-{version}-{kind}.skops").write_bytes(buffer.getvalue())
        record[kind] = {
            "X": X.tolist(),
            "dtype": X.dtype.name,
            "y": y.tolist(),
            "predictions": {
                method: values.tolist()
                for method, values in _predictions(model, X).items()
            },
        }
    (directory / f"skmlp-{version}.json").write_text(json.dumps(record, indent=1))
    return sorted(directory.glob(f"skmlp-{version}*"))


if __name__ == "__main__":
    for path in write_test_data():
        print(path, path.stat().st_size, "bytes")
