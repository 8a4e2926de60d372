"""Output losses: values from logits, the fused delta P - Y, no overflow."""

import numpy as np
import pytest

from skmlp.losses import LOSSES, BinaryLogLoss, SoftmaxLogLoss, get


def _targets(kind, rng, n=6, k=3):
    if kind == "softmax":
        return np.eye(k)[rng.randint(k, size=n)]
    return rng.randint(2, size=(n, k)).astype(float)


def _plain_loss(kind, Z, Y):
    if kind == "softmax":
        P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
        return -(Y * np.log(P)).sum(axis=1)
    P = 1 / (1 + np.exp(-Z))
    return -(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum(axis=1)


@pytest.mark.parametrize("kind", sorted(LOSSES))
@pytest.mark.parametrize("weighted", [False, True])
def test_loss_value_and_fused_delta(kind, weighted):
    rng = np.random.RandomState(0)
    Z = rng.normal(scale=2, size=(6, 3))
    Y = _targets(kind, rng)
    sw = rng.uniform(0.5, 2, size=6) if weighted else None
    loss = get(kind)
    delta, scratch = np.empty_like(Z), np.empty_like(Z)
    Z_before = Z.copy()
    total = loss.loss_and_delta(Z, Y, sw, delta, scratch)
    w = np.ones(6) if sw is None else sw
    assert total == pytest.approx(w @ _plain_loss(kind, Z, Y), rel=1e-12)
    np.testing.assert_array_equal(Z, Z_before)
    # The delta is the gradient of the weighted total with respect to the logits.
    h = 1e-6
    numeric = np.empty_like(Z)
    for idx in np.ndindex(Z.shape):
        Zp, Zm = Z.copy(), Z.copy()
        Zp[idx] += h
        Zm[idx] -= h
        numeric[idx] = (w @ _plain_loss(kind, Zp, Y) - w @ _plain_loss(kind, Zm, Y)) / (
            2 * h
        )
    np.testing.assert_allclose(delta, numeric, rtol=1e-6, atol=1e-9)
    P = loss.probabilities(Z)
    np.testing.assert_allclose(delta, w[:, None] * (P - Y), rtol=1e-12)


@pytest.mark.parametrize("kind", sorted(LOSSES))
def test_huge_logits_do_not_overflow(kind):
    Z = np.array([[1e3, -1e3, 0.0], [-800.0, 800.0, 5.0]])
    Y = np.array([[0.0, 1.0, 0.0], [0.0, 1.0, 0.0]])
    delta, scratch = np.empty_like(Z), np.empty_like(Z)
    total = get(kind).loss_and_delta(Z, Y, None, delta, scratch)
    assert np.isfinite(total) and np.isfinite(delta).all()
    # Confidently wrong logits of +-1e3 cost 1e3 each, exactly as the maths says.
    if kind == "softmax":  # row 1: 1e3 - (-1e3); row 2: log(1 + e^-795 + ...) ~ 0
        expected = 2000.0
    else:  # row 1: 1e3 + 1e3 + log 2; row 2: 0 + 0 + log(1 + e^5)
        expected = 2000.0 + np.log(2.0) + np.log1p(np.exp(5.0))
    assert total == pytest.approx(expected, rel=1e-12)


def test_probabilities_are_distributions():
    P = SoftmaxLogLoss().probabilities(np.array([[1.0, 2.0, 3.0], [1e3, 0.0, -1e3]]))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    assert BinaryLogLoss().probabilities(np.array([[-1e3, 1e3]])).tolist() == [
        [0.0, 1.0]
    ]


def test_get():
    assert isinstance(get("softmax"), SoftmaxLogLoss)
    assert isinstance(get(BinaryLogLoss), BinaryLogLoss)
    with pytest.raises(ValueError, match="Unknown loss 'hinge'"):
        get("hinge")
