"""The four back-propagation tutorials, redone through ``BackpropMLPClassifier``.

Each test sets up one tutorial's experiment with estimator parameters alone
(architecture, activation, ``weight_init``, solver, batch size, learning rate,
epochs) and asserts the figure the tutorial states. Where a figure cannot be
reached with the tutorial's own settings, the test's docstring says why and
asserts what does hold.

========  =======================================  =========================
tutorial  states                                   skmlp reaches (seeds)
========  =======================================  =========================
000       worked step: loss 1.30734966, gradients  the same to 1e-8
000       XOR: (3,) "has a hard time"              100 %, 98.5 % (data 0, 1)
000       XOR: (4, 3) separates the blobs          100 %, 100 % (data 0, 1)
000       moons, make_classification: no figure    97.4 %, 97.8 %, above LR
001       loss < 0.005, every point right          all of seeds 0-4
001       final predictions' log-loss 0.004996     0.0049945-0.0049961 (0-4)
001       same weights, same training as TF        same curve and stop epoch
002       (2,) relu: 98.9 %                        99.0, 74.3, 99.2 % (0-2)
002       (5, 3) relu: 99.7 %                      99.3, 99.2 % (0, 1)
003       cost 0.693141 at 0                       0.693141
003       0.052671 at 1000 ... 0.010872 at 9000    0.052625 ... 0.010560
003       accuracy 99 %, logistic regression 66 %  99.75 %, LR 66.25 %
========  =======================================  =========================

Learning rates carry over unchanged. scikit-learn's loss (which skmlp matches)
is the mean log-loss over the batch plus ``alpha / (2 n) * ||W||^2``, and the
tutorials run with ``alpha=0``. With ``batch_size=1`` (tutorials 000 and 002)
the mean over one sample is that sample's loss, so each step is the tutorials'
per-sample step. For full batches, tutorial 001 multiplies its summed loss and
gradients by ``1 / 20`` and tutorial 003 divides by ``m``: both are gradient
descent on the mean loss, as here.

Per-sample SGD costs about 20 microseconds a step (1 000 samples x 200 epochs
is 3-5 s), which is what limits the number of seeds: the whole file runs in
about 45 s on one core.
"""

import numpy as np
import pytest
from scipy.special import expit, logit
from scipy.stats import norm
from sklearn.datasets import make_classification, make_moons
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import log_loss

from skmlp import BackpropMLPClassifier
from skmlp.callbacks import StopWhenLossBelow, WeightSnapshots
from skmlp.datasets import load_rings, make_gaussian_clusters, make_spirals, make_xor
from skmlp.initializers import Initializer, Normal, Uniform, VarianceScaling

# The tutorials train for a fixed number of epochs on purpose; reaching it is
# not a failure to converge.
pytestmark = pytest.mark.filterwarnings(
    "ignore:Stochastic Optimizer. Maximum iterations:"
    "sklearn.exceptions.ConvergenceWarning"
)


def gradient_descent(hidden, activation, weight_init, *, lr, epochs, batch_size, **kw):
    """The tutorials' plain gradient descent as estimator parameters.

    No momentum and no L2 penalty; the samples are visited in the order they
    are stored (every tutorial loops over its rows in order, so
    ``shuffle=False``); exactly ``epochs`` epochs (``tol=0`` with
    ``n_iter_no_change=epochs`` turns off scikit-learn's stop on a stalled
    loss). ``batch_size=1`` is per-sample SGD, ``batch_size=n_samples``
    full-batch gradient descent.
    """
    return BackpropMLPClassifier(
        hidden,
        activation=activation,
        weight_init=weight_init,
        solver="sgd",
        batch_size=batch_size,
        learning_rate_init=lr,
        max_iter=epochs,
        momentum=0.0,
        alpha=0.0,
        shuffle=False,
        tol=0.0,
        n_iter_no_change=epochs,
        **kw,
    )


class Given(Initializer):
    """One layer's initial weights fixed in advance (zero biases by default)."""

    def __init__(self, W, b=None):
        self.W = np.asarray(W, dtype=float)
        self.b = np.zeros(self.W.shape[1]) if b is None else np.asarray(b, float)

    def __call__(self, fan_in, fan_out, rng, dtype):
        assert self.W.shape == (fan_in, fan_out)
        return self.W.astype(dtype), self.b.astype(dtype)


class OutByInNormal(Initializer):
    """``randn(fan_out, fan_in) * std``, transposed; zero biases.

    Tutorial 003 stores a layer's weights as ``(fan_out, fan_in)`` and draws
    them in that shape; skmlp's ``W`` is ``(fan_in, fan_out)``. Drawing in the
    tutorial's shape and transposing gives its numbers for the same seed.
    """

    def __init__(self, std):
        self.std = std

    def __call__(self, fan_in, fan_out, rng, dtype):
        W = rng.standard_normal((fan_out, fan_in)).T * self.std
        return W.astype(dtype), np.zeros(fan_out, dtype=dtype)


def weights(clf):
    """Copies of all weights and biases, in the order coefs_ then intercepts_."""
    return [np.array(a, copy=True) for a in [*clf.coefs_, *clf.intercepts_]]


# --------------------------------------------------------------------------
# Tutorial 000: MLPs with two hidden layers ("exor" data, moons, make_classification)
# --------------------------------------------------------------------------

# The worked step of tutorial 000, as printed (y = 0 for this sample).
STEP_ERROR = 1.30734966
STEP_DEL_Y_OUT = 3.69636411
STEP_DEL_H_2 = np.array([0.98222332, 0.69578643, -0.18424711])
STEP_DEL_H_1 = np.array([-0.0099859, 0.21296845, -0.25630071, 0.02174339])
STEP_GRAD_W3 = np.array([[0.38490508], [0.33039262], [0.43493646]])
STEP_GRAD_W2 = np.array(
    [
        [0.13521625, 0.09522663, -0.02449931],
        [0.10612383, 0.07473816, -0.01922817],
        [0.11346658, 0.07990933, -0.02055857],
        [0.10408398, 0.07330159, -0.01885857],
    ]
)
STEP_GRAD_B2 = np.array([0.24480464, 0.17240472, -0.04435521])
STEP_GRAD_W1 = np.array(
    [
        [-0.0013237, 0.02803837, -0.03416776, 0.0028489],
        [0.00153643, -0.03254447, 0.03965893, -0.00330675],
    ]
)
STEP_GRAD_B1 = np.array([-0.00246912, 0.05230043, -0.06373369, 0.0053141])
STEP_LR = 1e-3
# The initial weights the tutorial prints just before the step.
PRINTED_W1 = np.array(
    [
        [-0.87295171, -0.39113499, 0.21779305, -0.18998006],
        [0.34119755, 0.36595149, 0.15416373, 0.4653826],
    ]
)
PRINTED_W2 = np.array(
    [
        [0.17291965, -0.17246838, 0.19489309],
        [0.4630033, 0.02347373, -0.17954312],
        [0.12243623, 0.26875939, -1.28381417],
        [0.63412901, -0.52092003, 0.93676923],
    ]
)
PRINTED_W3 = np.array([[1.19416008], [1.34523525], [-0.42948187]])


def _state_of_the_printed_step():
    """The sample and the weights behind tutorial 000's printed gradients.

    Uses only the tutorial's own formulas, with y = 0 (``del_y_out > 0``):

    - ``del_y_out = 1 / (1 - p)`` gives the output ``p``;
    - ``grad_W1 = outer(x, grad_b1)`` gives the sample ``x``;
    - ``grad_W3 = p * a2`` and ``del_h_2 = p * W3`` give ``a2`` and ``W3``;
    - ``grad_W2 = outer(a1, grad_b2)`` gives ``a1``;
    - ``sigmoid(x @ W1) = a1`` fixes W1 along ``x`` (the minimum-norm W1);
    - ``sigmoid(a1 @ W2) = a2`` and ``W2 @ grad_b2 = del_h_1`` are seven
      linear equations in W2 (rank 6: the printed numbers satisfy the one
      compatibility condition to 6e-9); W2 is their minimum-norm solution.

    Biases are zero, as in the tutorial.
    """
    p = 1.0 - 1.0 / STEP_DEL_Y_OUT
    j = np.argmax(np.abs(STEP_GRAD_B1))
    x = STEP_GRAD_W1[:, j] / STEP_GRAD_B1[j]
    a2 = STEP_GRAD_W3[:, 0] / p
    W3 = (STEP_DEL_H_2 / p)[:, None]
    k = np.argmax(np.abs(STEP_GRAD_B2))
    a1 = STEP_GRAD_W2[:, k] / STEP_GRAD_B2[k]
    W1 = np.outer(x, logit(a1)) / (x @ x)
    rows, rhs = [], []
    for unit in range(3):
        row = np.zeros((4, 3))
        row[:, unit] = a1
        rows.append(row.ravel())
        rhs.append(logit(a2)[unit])
    for unit in range(4):
        row = np.zeros((4, 3))
        row[unit, :] = STEP_GRAD_B2
        rows.append(row.ravel())
        rhs.append(STEP_DEL_H_1[unit])
    W2 = np.linalg.lstsq(np.array(rows), np.array(rhs), rcond=None)[0].reshape(4, 3)
    return x, p, (a1, a2), [W1, W2, W3]


def test_000_worked_step_matches_every_printed_number():
    """Tutorial 000's hand-worked step, taken by ``partial_fit``.

    The notebook printed its initial weights and its gradients from different
    runs: with the printed weights, the sample's output is 0.769 (loss 1.467),
    not the 0.729 (loss 1.30734966) the printed gradients come from, and
    ``del_h_2 / W3`` should be one number but is 0.82, 0.52 and 0.43. The
    gradients are consistent with each other, though, and determine the
    state of the step (see ``_state_of_the_printed_step``; the sample is not
    in any file we have). The weights of that state are set through the
    public API: a first ``partial_fit`` builds the network, ``coefs_`` and
    ``intercepts_`` are assigned, and a second ``partial_fit`` takes the one
    per-sample step with the tutorial's learning rate 1e-3. The gradients
    ``(W_before - W_after) / 1e-3`` and the loss then match every printed
    number to its printed precision (1e-8).
    """
    x, p, (a1, a2), (W1, W2, W3) = _state_of_the_printed_step()
    X, y = x[None, :], [0]
    clf = gradient_descent(
        (4, 3), "logistic", "auto", lr=STEP_LR, epochs=1, batch_size=1, random_state=0
    )
    clf.partial_fit(X, y, classes=[0, 1])

    # The printed initial weights are not the step's.
    clf.coefs_ = [PRINTED_W1, PRINTED_W2, PRINTED_W3]
    clf.intercepts_ = [np.zeros(4), np.zeros(3), np.zeros(1)]
    assert log_loss(y, clf.predict_proba(X), labels=[0, 1]) == pytest.approx(
        1.467, abs=1e-3
    )

    clf.coefs_ = [W1, W2, W3]
    clf.intercepts_ = [np.zeros(4), np.zeros(3), np.zeros(1)]
    np.testing.assert_allclose(clf.predict_proba(X)[0, 1], p, atol=1e-8)
    A1, A2 = clf.hidden_activations(X)
    np.testing.assert_allclose(A1[0], a1, atol=1e-8)
    np.testing.assert_allclose(A2[0], a2, atol=1e-8)
    before = weights(clf)
    clf.partial_fit(X, y)
    grads = [(b - a) / STEP_LR for b, a in zip(before, weights(clf), strict=True)]

    assert clf.loss_ == pytest.approx(STEP_ERROR, abs=1e-8)
    assert 1.0 / (1.0 - p) == pytest.approx(STEP_DEL_Y_OUT, abs=1e-8)
    grad_W1, grad_W2, grad_W3, grad_b1, grad_b2, grad_b3 = grads
    printed = [
        (grad_W1, STEP_GRAD_W1),
        (grad_b1, STEP_GRAD_B1),
        (grad_W2, STEP_GRAD_W2),
        (grad_b2, STEP_GRAD_B2),
        (grad_W3, STEP_GRAD_W3),
    ]
    for got, expected in printed:
        np.testing.assert_allclose(got, expected, rtol=0, atol=1e-8)
    # The tutorial's output-bias gradient cell printed nothing; it is p - y.
    np.testing.assert_allclose(grad_b3, [p], atol=1e-8)


XOR_SEEDS = [0, 1]


@pytest.mark.parametrize("seed", XOR_SEEDS)
def test_000_xor_both_networks_separate_the_blobs(seed):
    """Tutorial 000 on XOR data: (4, 3) logistic separates the four blobs.

    The tutorial's initial weights are reproduced exactly: it seeds NumPy with
    10 before its (3,) network (weights N(0, 0.1^2), zero biases) and with 30
    before its (4, 3) network (weights ``randn(fan_in, fan_out) *
    sqrt(1 / fan_out)``, zero biases), and skmlp's initialisers draw the same
    numbers in the same order from ``random_state`` 10 and 30. Per-sample SGD,
    lr 0.05 for 300 epochs and lr 0.01 for 400 epochs. The (4, 3) network
    reaches >= 95 % on both draws of the data (100.0 %, 100.0 %).

    Discrepancy: the tutorial says the (3,) network "has a hard time" on its
    data. Its CSV file cannot be downloaded, and on ``make_xor``'s blobs the
    (3,) network separates them too (100.0 %, 98.5 %), and sooner: 95 % after
    about 60-90 epochs against about 190 for (4, 3) (seeds 0-5, measured
    while writing this test). Three sigmoid units are enough for XOR (the
    tutorial itself says a better initialisation would do), and the (3,)
    run gets five times the learning rate; so its struggle belongs to the
    tutorial's data, not to the network. The test asserts what holds here.
    """
    X, y = make_xor(random_state=seed)
    for hidden, init, lr, epochs, tutorial_seed in [
        ((3,), Normal(0.1, biases="zeros"), 0.05, 300, 10),
        ((4, 3), VarianceScaling(1.0, mode="fan_out"), 0.01, 400, 30),
    ]:
        snapshots = WeightSnapshots(every=epochs)
        clf = gradient_descent(
            hidden,
            "logistic",
            init,
            lr=lr,
            epochs=epochs,
            batch_size=1,
            random_state=tutorial_seed,
            callbacks=[snapshots],
        ).fit(X, y)
        assert snapshots.epochs == [0, epochs]
        rng = np.random.RandomState(tutorial_seed)
        sizes = [2, *hidden, 1]
        for W, fan_in, fan_out in zip(snapshots.coefs[0], sizes, sizes[1:]):
            if hidden == (3,):
                expected = rng.normal(0.0, 0.1, size=(fan_in, fan_out))
            else:
                expected = rng.randn(fan_in, fan_out) * np.sqrt(1 / fan_out)
            np.testing.assert_array_equal(W, expected)
        assert clf.n_iter_ == epochs
        assert clf.score(X, y) >= 0.95


def _classification(random_state, class_sep):
    return make_classification(
        n_samples=1000,
        n_features=2,
        n_informative=2,
        n_redundant=0,
        n_repeated=0,
        n_classes=2,
        n_clusters_per_class=2,
        class_sep=class_sep,
        flip_y=0,
        weights=[0.5, 0.5],
        random_state=random_state,
    )


@pytest.mark.parametrize(
    "data, lr, epochs",
    [
        pytest.param(
            make_moons(n_samples=500, shuffle=True, noise=0.2, random_state=0),
            0.05,
            300,
            id="moons",
        ),
        pytest.param(_classification(910, 1.3), 5e-3, 450, id="classification"),
    ],
)
def test_000_two_hidden_layers_on_more_data_sets(data, lr, epochs):
    """Tutorial 000's "few more data sets" with hidden (3, 2).

    Data, initial weights (NumPy seed 30, ``randn * sqrt(1 / fan_out)``, zero
    biases), learning rates and epochs are the tutorial's, so this replays
    its runs. Of its two ``make_classification`` runs, the one with
    ``class_sep=1.3`` (450 epochs) is kept; the other takes 600 epochs
    (20 s). The tutorial states no figure, only that the layers build a
    boundary that fits the data; asserted here: a boundary that beats the
    best straight line (logistic regression) and gets >= 95 %, the bar the
    issue sets for XOR. Reached: 97.4 % (LR 86.6 %) and 97.8 % (LR 94.5 %).
    """
    X, y = data
    clf = gradient_descent(
        (3, 2),
        "logistic",
        VarianceScaling(1.0, mode="fan_out"),
        lr=lr,
        epochs=epochs,
        batch_size=1,
        random_state=30,
    ).fit(X, y)
    linear = LogisticRegression().fit(X, y).score(X, y)
    assert clf.score(X, y) >= 0.95
    assert clf.score(X, y) > linear


# --------------------------------------------------------------------------
# Tutorial 001: a 2-3-3-1 sigmoid network on 20 ring points
# --------------------------------------------------------------------------

RINGS_LR, RINGS_STOP, RINGS_MAX_ITER = 0.4, 0.005, 20000


def _rings_classifier(weight_init, random_state):
    X, _ = load_rings()
    return gradient_descent(
        (3, 3),
        "logistic",
        weight_init,
        lr=RINGS_LR,
        epochs=RINGS_MAX_ITER,
        batch_size=len(X),
        random_state=random_state,
        callbacks=[StopWhenLossBelow(RINGS_STOP)],
    )


@pytest.mark.parametrize("seed", range(5))
def test_001_rings_loss_below_0005_and_every_point_right(seed):
    """Tutorial 001: U(0, 1) weights, zero biases, full-batch GD, lr 0.4.

    The tutorial breaks out of its loop after the first update whose
    (pre-update) loss is below 0.005; ``StopWhenLossBelow`` sees the same
    loss and stops after the same update. Every seed tried (0-9 while
    writing, 0-4 here) stops within 4 600-9 600 iterations of the 20 000
    allowed, with every point right. The tutorial prints its final
    predictions, whose mean log-loss is 0.004996: just under the threshold,
    one step after crossing it. skmlp's final models give 0.0049945-0.0049961.
    """
    X, y = load_rings()
    clf = _rings_classifier(Uniform(0.0, 1.0, biases="zeros"), seed).fit(X, y)
    assert clf.loss_ < RINGS_STOP <= clf.loss_curve_[-2]
    assert clf.n_iter_ < RINGS_MAX_ITER
    assert clf.score(X, y) == 1.0
    final = log_loss(y, clf.predict_proba(X))
    assert 0.00499 < final < RINGS_STOP


def _rings_by_hand(X, y, coefs, lr, stop, max_iter):
    """Tutorial 001's training loop, written out: what TensorFlow also did.

    Sigmoid layers; per-sample output delta ``a3 - y``; the gradients of the
    20 samples summed and multiplied by ``1 / 20`` (the mean loss); a step of
    ``lr`` times that; stop once the loss before the step is below ``stop``.
    """
    W = [np.array(w, dtype=float) for w in coefs]
    b = [np.zeros(w.shape[1]) for w in W]
    losses = []
    for _ in range(max_iter):
        A = [X]
        for Wl, bl in zip(W, b, strict=True):
            A.append(expit(A[-1] @ Wl + bl))
        p = A[-1][:, 0]
        losses.append(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
        delta = (A[-1] - y[:, None]) / len(y)
        for layer in reversed(range(len(W))):
            grad_W, grad_b = A[layer].T @ delta, delta.sum(axis=0)
            if layer:
                delta = (delta @ W[layer].T) * A[layer] * (1 - A[layer])
            W[layer] -= lr * grad_W
            b[layer] -= lr * grad_b
        if losses[-1] < stop:
            break
    return W, b, losses


def test_001_same_initial_weights_same_training_as_by_hand():
    """Tutorial 001: "exact same output" as TensorFlow from the same weights.

    The tutorial does not print its initial weights (``np.random.rand``
    without a seed), so this draws U(0, 1) weights, gives them to skmlp
    through a per-layer ``weight_init`` of fixed arrays, and to the
    tutorial's loop written out. Both stop after the same iteration with the
    same loss curve and final weights (equal to rounding, 1e-9).
    """
    X, y = load_rings()
    rng = np.random.RandomState(0)
    coefs = [rng.rand(2, 3), rng.rand(3, 3), rng.rand(3, 1)]
    clf = _rings_classifier(tuple(Given(W) for W in coefs), None).fit(X, y)
    W, b, losses = _rings_by_hand(X, y, coefs, RINGS_LR, RINGS_STOP, RINGS_MAX_ITER)
    assert clf.n_iter_ == len(losses)
    np.testing.assert_allclose(clf.loss_curve_, losses, rtol=1e-9)
    for got, expected in zip(weights(clf), [*W, *b], strict=True):
        np.testing.assert_allclose(got, expected, rtol=1e-9, atol=1e-12)


# --------------------------------------------------------------------------
# Tutorial 002: ReLU MLPs on the "hard" gaussian clusters
# --------------------------------------------------------------------------


def _bayes_accuracy(X, y):
    """Accuracy of the Bayes classifier, which knows the clusters' densities."""
    density_0 = norm.pdf(X[:, 0], 0, 2) * norm.pdf(X[:, 1], 0, 0.5)
    density_1 = (
        0.5
        * norm.pdf(X[:, 0], 0, 0.5)
        * (norm.pdf(X[:, 1], 3.5, 1) + norm.pdf(X[:, 1], -3.5, 1))
    )
    return np.mean((density_1 > density_0) == y)


def _clusters_run(hidden, std, seed):
    """Tutorial 002's run: per-sample SGD, lr 0.001, 200 epochs, class 0 first."""
    X, y = make_gaussian_clusters(1000, shuffle=False, random_state=seed)
    clf = gradient_descent(
        hidden,
        "relu",
        Normal(std),
        lr=0.001,
        epochs=200,
        batch_size=1,
        random_state=seed,
    ).fit(X, y)
    return clf, X, y


def test_002_one_hidden_layer_of_two_relu_units():
    """Tutorial 002, hidden (2,) relu, weights and biases N(0, 1): 98.9 %.

    The tutorial reports one run (NumPy unseeded). Two ReLU units must draw
    both of the lines that cut the two class-1 blobs off the class-0 band,
    and from N(0, 1) weights and biases not every start gets there in 200
    epochs: of seeds 0-19 (measured while writing this test) 11 reach
    98.5 %. The others fail in one of two ways, asserted here for each
    failing run: a unit that is zero on every training point (it never
    learns again), or one class-1 blob left entirely on the wrong side
    (about 75 %). Seeds 0-2 here: 99.0 %, 74.3 % (top blob lost), 99.2 %;
    two of three reach 98.5 % and the best beats the tutorial's 98.9 %.
    """
    accuracies = []
    for seed in range(3):
        clf, X, y = _clusters_run((2,), 1.0, seed)
        accuracy = clf.score(X, y)
        accuracies.append(accuracy)
        if accuracy < 0.985:
            dead = (clf.hidden_activations(X, layer=0) <= 0).all(axis=0).any()
            wrong = clf.predict(X) != y
            blob_lost = wrong[500:750].mean() > 0.95 or wrong[750:].mean() > 0.95
            assert dead or blob_lost
    assert sum(a >= 0.985 for a in accuracies) >= 2
    assert max(accuracies) >= 0.989


@pytest.mark.parametrize("seed", [0, 1])
def test_002_two_hidden_layers_reach_the_best_possible(seed):
    """Tutorial 002, hidden (5, 3) relu, weights and biases N(0, 0.1^2): 99.7 %.

    Discrepancy: 99.5 % is out of reach on a typical draw of the data, for
    any classifier. The classes overlap: the Bayes classifier, which knows
    the true densities, is right on 99.13 % of points on average (estimate
    from 10^6 points) and on 98.6-99.6 % of a draw of 1 000 (seeds 0-29).
    A small network can beat it on its training points only by a few
    overfitted points, so the tutorial's 99.7 % comes from a favourable
    draw. Asserted instead: on every draw, the network comes within half a
    point of the Bayes classifier on the same points (seeds 0-9 while
    writing: never more than 0.2 points below it), and reaches at least
    the 98.5 % set for the smaller (2,) network. Seeds 0, 1: 99.3 % and
    99.2 % where the Bayes classifier gets 99.4 % and 99.1 %.

    Two details of the tutorial's code differ from skmlp and do not matter
    at this learning rate: its log adds 1e-8 to the probabilities, and its
    backward pass updates a layer's weights before using them to compute
    the previous layer's delta (a change of order lr = 1e-3 per step).
    """
    clf, X, y = _clusters_run((5, 3), 0.1, seed)
    accuracy = clf.score(X, y)
    assert accuracy >= _bayes_accuracy(X, y) - 0.005
    assert accuracy >= 0.985


# --------------------------------------------------------------------------
# Tutorial 003: one hidden tanh layer on two spirals
# --------------------------------------------------------------------------

SPIRALS_PRINTED_COSTS = [
    0.693141,
    0.052671,
    0.040765,
    0.032499,
    0.027457,
    0.023722,
    0.020082,
    0.016282,
    0.013001,
    0.010872,
]


def _spirals_by_hand(X, y, W1, W2, n_iter, lr=1.2):
    """Tutorial 003's loop written out: mean cost, gradients divided by m."""
    Y, m = y[:, None], len(y)
    b1, b2 = np.zeros(W1.shape[1]), np.zeros(1)
    W1, W2 = W1.copy(), W2.copy()
    costs = []
    for _ in range(n_iter):
        A1 = np.tanh(X @ W1 + b1)
        A2 = expit(A1 @ W2 + b2)
        costs.append(-np.mean(Y * np.log(A2) + (1 - Y) * np.log(1 - A2)))
        dZ2 = (A2 - Y) / m
        dZ1 = (dZ2 @ W2.T) * (1 - A1**2)
        W2 -= lr * A1.T @ dZ2
        b2 -= lr * dZ2.sum(axis=0)
        W1 -= lr * X.T @ dZ1
        b1 -= lr * dZ1.sum(axis=0)
    return np.array(costs)


def test_003_spirals_costs_accuracy_and_logistic_regression():
    """Tutorial 003: (4,) tanh, randn * 0.01, full-batch GD, lr 1.2, 10 000 it.

    The data (``make_spirals(random_state=42, shuffle=False)``) and the
    initial weights (NumPy reseeded with 42, ``randn(4, 2) * 0.01`` and
    ``randn(1, 4) * 0.01`` in the tutorial's (fan_out, fan_in) layout) are
    the tutorial's bit for bit, so the first cost is its 0.693141 exactly,
    and the first 200 iterations equal the tutorial's loop written out to
    1e-12.

    Discrepancy, explained: the later printed costs cannot be matched to six
    decimals by any implementation. Near iteration 250 the step of 1.2
    overshoots (the cost jumps from 0.23 to above 0.5 and comes back), and
    in that phase rounding differences grow: changing one initial weight by
    1e-15 in the written-out loop already moves the cost at iteration 1000
    in the fifth decimal, and such changes move the costs at 1000-9000 by up
    to 6 % of the printed values. skmlp's costs differ from the printed ones
    by 0.1 % (1000) to 3 % (9000): 0.052625 ... 0.010560 against 0.052671
    ... 0.010872. Asserted: within 10 %, decreasing as printed. The final
    accuracies print as the tutorial's (``%d`` truncates): 99 % (99.75 %)
    and logistic regression 66 % (66.25 %).
    """
    X, y = make_spirals(random_state=42, shuffle=False)
    clf = gradient_descent(
        (4,),
        "tanh",
        OutByInNormal(0.01),
        lr=1.2,
        epochs=10000,
        batch_size=len(X),
        random_state=42,
    ).fit(X, y)
    rng = np.random.RandomState(42)
    W1, W2 = rng.randn(4, 2).T * 0.01, rng.randn(1, 4).T * 0.01

    costs = np.array(clf.loss_curve_)
    assert f"{costs[0]:.6f}" == f"{SPIRALS_PRINTED_COSTS[0]:.6f}"
    by_hand = _spirals_by_hand(X, y, W1, W2, 1001)
    np.testing.assert_allclose(costs[:200], by_hand[:200], rtol=1e-12)
    assert costs[200:400].max() > 0.5
    nudged = W1.copy()
    nudged[0, 0] += 1e-15
    assert abs(_spirals_by_hand(X, y, nudged, W2, 1001)[1000] - by_hand[1000]) > 1e-6

    printed = np.array(SPIRALS_PRINTED_COSTS)
    np.testing.assert_allclose(costs[::1000], printed, rtol=0.1)
    assert np.all(np.diff(costs[::1000]) < 0)
    assert int(clf.score(X, y) * 100) == 99
    assert int(LogisticRegression().fit(X, y).score(X, y) * 100) == 66
