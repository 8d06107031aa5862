"""The sampled losses (reference/sampled.py: nce, sampled_softmax) against mpmath (40 digits), finite differences
and the identities that tie them to the full losses.

The oracle forms every logit from the exact float inputs in mpmath, l = sum_d x_d w_d + b - log q, and the loss
from the logits.  Condition scale: |v| + sum over logits of |dv / dl| (sum_d |x_d w_d| + |b| + |log q|): a dot
product rounded in float64 errs by u times the sum of its terms' magnitudes, and the loss is as sensitive to a
logit as its derivative says (the sigmoid or softmax residual).
"""

import mpmath as mp
import numpy as np
import pytest
from numerics import check_value, directional_fd

from reference import LOSSES

rng_s = np.random.default_rng(606)
NAMES = ("nce", "sampled_softmax")


def layer(n, d=4, c=9, t=1, s=5, scale=1.0):
    return [scale * rng_s.normal(size=(n, d)), rng_s.normal(size=(c, d)), rng_s.normal(size=c),
            rng_s.integers(0, c, size=(n, t)), rng_s.permutation(c)[:s], rng_s.uniform(0.05, 1.5, size=(n, t)),
            rng_s.uniform(0.05, 1.5, size=s)]


def mp_logit(x, w, b, q):
    terms = [mp.mpf(float(a)) * mp.mpf(float(c)) for a, c in zip(x, w)]
    logq = mp.log(mp.mpf(float(q)))
    return mp.fsum(terms) + mp.mpf(float(b)) - logq, mp.fsum(abs(t) for t in terms) + abs(mp.mpf(float(b))) + abs(logq)


def mp_sampled(name, arrays, remove_accidental_hits):
    """[(value, scale)] per sample."""
    x, w, b, labels, sampled, tq, sq = arrays
    out = []
    for n in range(len(x)):
        t = len(labels[n])
        true = [mp_logit(x[n], w[k], b[k], tq[n][j]) for j, k in enumerate(labels[n])]
        kept = [j for j, k in enumerate(sampled) if not (remove_accidental_hits and k in labels[n])]
        samp = [mp_logit(x[n], w[sampled[j]], b[sampled[j]], sq[j]) for j in kept]
        if name == "nce":
            sig = lambda v: 1 / (1 + mp.exp(-v))  # noqa: E731
            softplus = lambda v: mp.log1p(mp.exp(v))  # noqa: E731
            v = mp.fsum(softplus(lv) - lv / t for lv, _ in true) + mp.fsum(softplus(lv) for lv, _ in samp)
            s = mp.fsum(abs(sig(lv) - mp.mpf(1) / t) * m for lv, m in true) + mp.fsum(sig(lv) * m for lv, m in samp)
        else:
            logits = [lv for lv, _ in true + samp]
            top = max(logits)
            lse = top + mp.log(mp.fsum(mp.exp(lv - top) for lv in logits))
            v = lse - mp.fsum(lv for lv, _ in true) / t
            p = [mp.exp(lv - lse) for lv in logits]
            labels_p = [mp.mpf(1) / t] * t + [mp.mpf(0)] * len(samp)
            s = mp.fsum(abs(pi - yi) * m for pi, yi, (_, m) in zip(p, labels_p, true + samp))
        out.append((v, abs(v) + s))
    return out


def with_hits(arrays):
    """Sample 0's and 1's first classes sampled too (ids kept unique)."""
    a = list(arrays)
    hits = list(dict.fromkeys(a[3][:2, 0].tolist()))
    a[4] = np.array(hits + [k for k in a[4].tolist() if k not in hits])[: len(a[4])]
    return a


BATCHES = [layer(8), layer(6, t=2), layer(6, t=3, s=4), with_hits(layer(6)), with_hits(layer(5, t=2)),
           layer(4, scale=200.0)]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("remove", [False, True])
def test_values(name, remove):
    for arrays in BATCHES:
        out = mp_sampled(name, arrays, remove)
        got = LOSSES[name](*arrays, remove_accidental_hits=remove, reduction="none")
        check_value(name, got, [v for v, _ in out], np.array([float(s) for _, s in out]))
        check_value(name, [LOSSES[name](*arrays, remove_accidental_hits=remove, reduction="mean")],
                    [mp.fsum(v for v, _ in out) / len(out)], float(sum(s for _, s in out)) / len(out))


@pytest.mark.parametrize("name", NAMES)
def test_extreme_counts_and_logits(name):
    arrays = layer(4)
    arrays[5] = np.array([[1e-300], [1e300], [1.0], [5e-324]])
    arrays[6] = np.array([1e-300, 1e300, 1.0, 1e-3, 2.0])
    out = mp_sampled(name, arrays, True)
    check_value(name, LOSSES[name](*arrays, remove_accidental_hits=True, reduction="none"), [v for v, _ in out],
                np.array([float(s) for _, s in out]))
    big = layer(3, scale=1e4)  # logits of order 1e4: exp overflows, the stable forms do not
    assert np.all(np.isfinite(LOSSES[name](*big, reduction="none")))


def test_identities():
    x, w, b, labels, _, tq, _ = layer(5, c=6)
    everything, ones = np.arange(6), np.ones(6)
    # sampled softmax over every class, counts 1, accidental hits removed: the full softmax cross entropy
    logits = x @ w.T + b
    full = np.log(np.exp(logits).sum(1)) - logits[np.arange(5), labels[:, 0]]
    got = LOSSES["sampled_softmax"](x, w, b, labels, everything, np.ones_like(tq), ones, reduction="none")
    assert got == pytest.approx(full, rel=1e-13)
    # nce over every class with the true one removed: the binary cross entropy of one-vs-rest sigmoids
    bce = np.logaddexp(0, logits).sum(1) - logits[np.arange(5), labels[:, 0]]
    got = LOSSES["nce"](x, w, b, labels, everything, np.ones_like(tq), ones, remove_accidental_hits=True,
                        reduction="none")
    assert got == pytest.approx(bce, rel=1e-13)
    # an expected count q shifts the logit by -log q: q = e^-1 is a bias of +1
    e = np.exp(-1.0)
    for name in NAMES:
        a = LOSSES[name](x, w, b + 1.0, labels, everything, np.ones_like(tq), ones, reduction="none")
        c = LOSSES[name](x, w, b, labels, everything, np.full_like(tq, e), np.full(6, e), reduction="none")
        assert a == pytest.approx(c, rel=1e-13)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("remove", [False, True])
@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
def test_grad_fd(name, remove, reduction):
    rng = np.random.default_rng(12)
    loss = LOSSES[name]
    for arrays in (with_hits(layer(4, t=2)), layer(3)):
        f = lambda *a: loss(*a, remove_accidental_hits=remove, reduction=reduction)  # noqa: E731
        cot = rng.normal(size=np.shape(f(*arrays)))
        g = loss.grad(*arrays, remove_accidental_hits=remove, reduction=reduction, cotangent=cot)
        for key in loss.differentiable:
            i = loss.inputs.index(key)
            u = rng.normal(size=np.shape(arrays[i]))
            fd = directional_fd(f, arrays, i, u, cot)
            an = float(np.sum(g[key] * u))
            assert abs(an - fd) <= 1e-7 * (abs(fd) + np.sum(np.abs(g[key] * u))) + 1e-12, (key, an, fd)


def test_accidental_hits_removed_are_left_out():
    x, w, b, labels, sampled, tq, sq = with_hits(layer(2))
    for name in NAMES:
        kept = LOSSES[name](x, w, b, labels, sampled, tq, sq, remove_accidental_hits=True, reduction="none")
        # removing a hit equals dropping that sampled id for that sample alone
        for n in range(2):
            keep = ~np.isin(sampled, labels[n])
            alone = LOSSES[name](x[n:n + 1], w, b, labels[n:n + 1], sampled[keep], tq[n:n + 1], sq[keep],
                                 remove_accidental_hits=False, reduction="none")
            assert kept[n] == pytest.approx(alone[0], rel=1e-14)


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("index, value, argument", [
    (3, np.array([[0], [9], [1], [2]]), "labels"), (3, np.array([0, 1, 2, 3]), "labels"),
    (3, np.array([[0.0], [1.0], [1.0], [2.0]]), "labels"), (4, np.array([0, 1, -1]), "sampled"),
    (4, np.array([[0, 1]]), "sampled"), (5, np.array([[1.0], [0.0], [1.0], [1.0]]), "true_expected_count"),
    (5, np.ones((4, 2)), "true_expected_count"), (6, -np.ones(5), "sampled_expected_count"),
    (1, rng_s.normal(size=(9, 3)), "weights"), (2, np.ones(8), "biases"), (0, np.ones(4), "inputs")])
def test_bad_input(name, index, value, argument):
    arrays = layer(4)
    arrays[index] = value
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays)
