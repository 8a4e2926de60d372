"""Optimisers: the update rules written out by hand, and their schedules."""

import math

import numpy as np
import pytest

from skmlp.optimizers import SGD, Adam


def test_sgd_momentum_and_nesterov_follow_the_textbook():
    rng = np.random.RandomState(0)
    grads = [rng.normal(size=4) for _ in range(5)]
    for nesterov in (False, True):
        params = np.zeros(4)
        opt = SGD(4, learning_rate_init=0.1, momentum=0.9, nesterov=nesterov)
        expected, velocity = np.zeros(4), np.zeros(4)
        for g in grads:
            opt.step(params, g)
            velocity = 0.9 * velocity - 0.1 * g
            expected += 0.9 * velocity - 0.1 * g if nesterov else velocity
        np.testing.assert_allclose(params, expected, rtol=1e-14)


def test_plain_sgd():
    params = np.array([1.0, -1.0])
    SGD(2, learning_rate_init=0.5, momentum=0.0).step(params, np.array([2.0, 2.0]))
    np.testing.assert_array_equal(params, [0.0, -2.0])


def test_adam_follows_the_paper():
    rng = np.random.RandomState(1)
    params, expected = np.zeros(3), np.zeros(3)
    opt = Adam(3, learning_rate_init=0.01)
    m, v = np.zeros(3), np.zeros(3)
    for t in range(1, 6):
        g = rng.normal(size=3)
        opt.step(params, g)
        m = 0.9 * m + 0.1 * g
        v = 0.999 * v + 0.001 * g**2
        m_hat, v_hat = m / (1 - 0.9**t), v / (1 - 0.999**t)
        expected -= 0.01 * m_hat / (np.sqrt(v_hat) + 1e-8 / np.sqrt(1 - 0.999**t))
    np.testing.assert_allclose(params, expected, rtol=1e-10)
    assert opt.t == 5


def test_adam_in_chunks_has_sklearns_bits():
    # Enough parameters for several cache-sized chunks and a ragged last one:
    # every element must still get scikit-learn's operations in its order.
    from sklearn.neural_network._stochastic_optimizers import AdamOptimizer

    rng = np.random.RandomState(2)
    n = 3 * (1 << 18) // 8 + 1234
    params = rng.normal(size=n)
    theirs = [params.copy()]
    ref = AdamOptimizer(theirs, learning_rate_init=0.003)
    opt = Adam(n, learning_rate_init=0.003)
    assert opt._scratch.shape[0] < n
    for _ in range(3):
        g = rng.normal(size=n)
        opt.step(params, g)
        ref.update_params(theirs, [g])
        np.testing.assert_array_equal(params, theirs[0])


def test_adam_in_chunks_float32_matches_one_pass():
    # float32 end to end (sklearn rounds its float32 step through float64), so
    # the reference is the same twelve float32 passes over the whole vector.
    rng = np.random.RandomState(3)
    n = 3 * (1 << 18) // 4 + 777
    params = rng.normal(size=n).astype(np.float32)
    expected = params.copy()
    m, v = np.zeros(n, np.float32), np.zeros(n, np.float32)
    opt = Adam(n, learning_rate_init=0.003, dtype=np.float32)
    for t in range(1, 4):
        g = rng.normal(size=n).astype(np.float32)
        opt.step(params, g)
        lr = 0.003 * math.sqrt(1 - 0.999**t) / (1 - 0.9**t)  # a Python float
        m = m * 0.9 + g * (1 - 0.9)
        v = v * 0.999 + (g * g) * (1 - 0.999)
        expected += (m * -lr) / (np.sqrt(v) + 1e-8)
        assert opt.first_moment.dtype == opt._update.dtype == np.float32
        assert params.dtype == np.float32
        np.testing.assert_array_equal(params, expected)


def test_invscaling_and_adaptive_schedules():
    opt = SGD(1, learning_rate_init=1.0, lr_schedule="invscaling", power_t=0.5)
    opt.iteration_ends(99)
    assert opt.learning_rate == pytest.approx(0.1)
    adaptive = SGD(1, learning_rate_init=1.0, lr_schedule="adaptive")
    assert adaptive.trigger_stopping("no gain.", verbose=False) is False
    assert adaptive.learning_rate == pytest.approx(0.2)
    adaptive.learning_rate = 1e-6
    assert adaptive.trigger_stopping("no gain.", verbose=False) is True
    assert SGD(1).trigger_stopping("no gain.", verbose=False) is True


def test_float32_state_stays_float32():
    params = np.zeros(3, dtype=np.float32)
    opt = Adam(3, dtype=np.float32)
    opt.step(params, np.ones(3, dtype=np.float32))
    assert params.dtype == np.float32 and opt.first_moment.dtype == np.float32


def test_sgd_follows_a_momentum_changed_between_steps():
    opt = SGD(1, learning_rate_init=1.0, momentum=0.9, nesterov=False)
    p = np.zeros(1)
    opt.step(p, np.ones(1))
    opt.momentum = 0.5
    opt.step(p, np.ones(1))
    # v = -1, then 0.5 * -1 - 1 = -1.5: p = -1 - 1.5
    np.testing.assert_array_equal(p, [-2.5])


@pytest.mark.parametrize("make", [lambda: SGD(2, momentum=0.9), lambda: Adam(2)])
def test_optimizers_pickled_without_their_scalar_caches_still_step(make):
    # The 0-d scalar caches are class defaults: an optimizer restored from a
    # state without them builds them at its next step, with the same result as
    # a fresh optimizer.
    fresh, old = make(), make()
    state = {k: v for k, v in vars(old).items() if not k.startswith("_rate")}
    state = {
        k: v for k, v in state.items() if k not in ("_constants", "_negative_rate")
    }
    state = {k: v for k, v in state.items() if not k.startswith("_momentum_")}
    restored = type(old).__new__(type(old))
    restored.__dict__.update(state)
    p1, p2 = np.array([1.0, -1.0]), np.array([1.0, -1.0])
    for opt, p in ((fresh, p1), (restored, p2)):
        opt.step(p, np.array([0.5, 2.0]))
    np.testing.assert_array_equal(p1, p2)
