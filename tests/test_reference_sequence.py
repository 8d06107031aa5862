"""CTC against a brute-force mpmath oracle, finite differences, and its reduction identity.

The oracle enumerates every length-T path over the C classes, keeps those whose
collapse (merge repeats, drop blanks) is the target, and sums their probabilities
in mpmath: no recursion shared with the reference.  Condition scale: |loss| (the
forward recursion adds log-probabilities of one sign and logaddexp is accurate to
an ulp; measured errors stay within a few ulp of the loss itself).
"""

import itertools
import math

import mpmath as mp
import numpy as np
import pytest
from numerics import check_value, directional_fd

from conformance.cases import cases_for
from reference import LOSSES

CTC = LOSSES["ctc"]


def collapse(path, blank):
    merged = [c for i, c in enumerate(path) if i == 0 or c != path[i - 1]]
    return [c for c in merged if c != blank]


def mp_ctc(lp, labels, blank):
    """-log sum over the paths pi with collapse(pi) = labels of prod_t exp(lp[t, pi_t]); lp (T, C)."""
    T, C = lp.shape
    paths = [p for p in itertools.product(range(C), repeat=T) if collapse(p, blank) == list(labels)]
    if not paths:
        return mp.inf
    total = mp.fsum(mp.exp(mp.fsum(mp.mpf(float(lp[t, c])) for t, c in enumerate(p))) for p in paths)
    return -mp.log(total)


def log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def batch(rng, T, C, labels, input_lengths, blank=0, concatenated=False, normalized=True):
    """(log_probs, targets, input_lengths, target_lengths) from a list of label lists."""
    x = rng.normal(size=(T, len(labels), C)) * 1.5
    lp = log_softmax(x) if normalized else x
    tl = np.array([len(s) for s in labels], dtype=np.int64)
    if concatenated:
        tg = np.array([c for s in labels for c in s], dtype=np.int64)
    else:
        tg = np.full((len(labels), max(1, tl.max())), 1 if blank == 0 else 0, dtype=np.int64)  # padding: any label
        for n, s in enumerate(labels):
            tg[n, : len(s)] = s
    return lp, tg, np.array(input_lengths, dtype=np.int64), tl, {"blank": blank}


def batches():
    rng = np.random.default_rng(1234)
    return {
        "blank0_repeats": batch(rng, 6, 4, [[1, 2, 3], [1, 1], [2], [], [3, 3, 3], [1, 2, 1, 2]], [6, 6, 5, 6, 6, 4]),
        "blank_last": batch(rng, 6, 4, [[0, 1, 2], [0, 0], [2], [], [1, 1, 1]], [6, 5, 6, 3, 5], blank=3),
        "impossible": batch(rng, 5, 3, [[1, 1, 1], [1, 2, 1, 2, 1, 2], [2, 2], [], [1]], [4, 5, 3, 0, 0]),
        "concatenated_unnormalized": batch(rng, 5, 4, [[0, 1], [3, 3], [1, 0, 3]], [5, 5, 4], blank=2,
                                           concatenated=True, normalized=False),
        "long_T7": batch(rng, 7, 3, [[1, 2, 1], [2, 2, 2]], [7, 7]),
    }


BATCHES = batches()  # 21 samples


def _labels(tg, tl):
    if tg.ndim == 1:
        ends = np.cumsum(tl)
        return [tg[e - k : e].tolist() for e, k in zip(ends, tl, strict=True)]
    return [tg[n, :k].tolist() for n, k in enumerate(tl)]


@pytest.mark.parametrize("key", sorted(BATCHES))
def test_value_vs_brute_force(key):
    lp, tg, il, tl, params = BATCHES[key]
    got = CTC(lp, tg, il, tl, reduction="none", **params)
    for n, labels in enumerate(_labels(tg, tl)):
        exact = mp_ctc(lp[: il[n], n, :], labels, params["blank"])
        check_value("ctc", got[n], exact)


def test_impossible_and_zero_infinity():
    lp, tg, il, tl, params = BATCHES["impossible"]
    v = CTC(lp, tg, il, tl, reduction="none", **params)
    assert v[0] == v[1] == v[4] == np.inf  # [1,1,1] needs 5 frames, 4 given; 6 labels in 5 frames; 1 label, 0 frames
    assert v[3] == 0.0  # empty target, empty input: the empty path, p = 1
    assert np.isfinite(v[2])  # [2, 2] needs exactly 3 frames
    z = CTC(lp, tg, il, tl, reduction="none", zero_infinity=True, **params)
    assert np.array_equal(z, np.where(np.isinf(v), 0.0, v))
    rng = np.random.default_rng(5)
    cot = rng.normal(size=len(tl))
    g = CTC.grad(lp, tg, il, tl, reduction="none", cotangent=cot, zero_infinity=True, **params)["log_probs"]
    assert np.all(g[:, [0, 1, 4], :] == 0.0) and np.any(g[:, 2, :] != 0.0)
    u = rng.normal(size=lp.shape)
    fd = directional_fd(lambda x: CTC(x, tg, il, tl, reduction="none", zero_infinity=True, **params),
                        [lp], 0, u, cot)
    assert abs(np.sum(g * u) - fd) <= 1e-8 * max(1.0, abs(fd))


def test_empty_target_is_sum_of_blank_log_probs():
    lp, tg, il, tl, params = BATCHES["blank0_repeats"]
    v = CTC(lp, tg, il, tl, reduction="none", **params)
    check_value("ctc", v[3], -mp.fsum(mp.mpf(float(x)) for x in lp[: il[3], 3, 0]))


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("key", sorted(set(BATCHES) - {"impossible"}))
def test_grad_vs_richardson(key, reduction):
    lp, tg, il, tl, params = BATCHES[key]
    rng = np.random.default_rng(17)
    cot = rng.normal(size=len(tl)) if reduction == "none" else np.float64(rng.normal())
    g = CTC.grad(lp, tg, il, tl, reduction=reduction, cotangent=cot, **params)["log_probs"]
    for _ in range(2):
        u = rng.normal(size=lp.shape)
        fd = directional_fd(lambda x: CTC(x, tg, il, tl, reduction=reduction, **params), [lp], 0, u, cot)
        assert abs(np.sum(g * u) - fd) <= 1e-8 * max(1.0, abs(fd)), (np.sum(g * u), fd)
    # frames past input_lengths get no gradient
    for n, T_n in enumerate(il):
        assert np.all(g[T_n:, n, :] == 0.0)


def test_grad_is_minus_the_occupancy():
    """d loss / d log_probs[t, c] = -gamma_t(c) (the posterior occupancy): each used frame sums to -1."""
    lp, tg, il, tl, params = BATCHES["blank0_repeats"]
    g = CTC.grad(lp, tg, il, tl, reduction="none", cotangent=np.ones(len(tl)), **params)["log_probs"]
    for n, T_n in enumerate(il):
        np.testing.assert_allclose(g[:T_n, n, :].sum(axis=-1), -1.0, rtol=0, atol=1e-13)
        assert np.all(g[:T_n, n, :] <= 0.0)


@pytest.mark.parametrize("key", sorted(BATCHES))
def test_mean_divides_by_target_length(key):
    lp, tg, il, tl, params = BATCHES[key]
    v = CTC(lp, tg, il, tl, reduction="none", **params)
    if np.all(np.isfinite(v)):
        assert CTC(lp, tg, il, tl, reduction="sum", **params) == math.fsum(v)
        assert CTC(lp, tg, il, tl, reduction="mean", **params) == math.fsum(v / np.maximum(tl, 1)) / len(v)
    else:
        assert CTC(lp, tg, il, tl, reduction="mean", **params) == np.inf
        z = CTC(lp, tg, il, tl, reduction="none", zero_infinity=True, **params)
        mean = CTC(lp, tg, il, tl, reduction="mean", zero_infinity=True, **params)
        assert mean == math.fsum(z / np.maximum(tl, 1)) / len(z)


def _good():
    lp, tg, il, tl, _ = BATCHES["blank0_repeats"]
    return lp, tg, il, tl


BAD = [
    ("target length > S", lambda lp, tg, il, tl: (lp, tg, il, tl + 1), {}, "target_lengths"),
    ("negative target length", lambda lp, tg, il, tl: (lp, tg, il, tl - 3), {}, "target_lengths"),
    ("input length > T", lambda lp, tg, il, tl: (lp, tg, il + 1, tl), {}, "input_lengths"),
    ("input_lengths shape", lambda lp, tg, il, tl: (lp, tg, il[:-1], tl), {}, "input_lengths"),
    ("target_lengths shape", lambda lp, tg, il, tl: (lp, tg, il, tl[:, None]), {}, "target_lengths"),
    ("label == blank", lambda lp, tg, il, tl: (lp, np.where(tg == 3, 0, tg), il, tl), {}, "targets"),
    ("label >= C", lambda lp, tg, il, tl: (lp, np.where(tg == 3, 4, tg), il, tl), {}, "targets"),
    ("label < 0", lambda lp, tg, il, tl: (lp, np.where(tg == 3, -1, tg), il, tl), {}, "targets"),
    ("targets rows", lambda lp, tg, il, tl: (lp, tg[:-1], il, tl), {}, "targets"),
    ("targets 3-D", lambda lp, tg, il, tl: (lp, tg[None], il, tl), {}, "targets"),
    ("1-D targets total", lambda lp, tg, il, tl: (lp, np.array([1, 2, 3]), il, tl), {}, "targets"),
    ("float targets", lambda lp, tg, il, tl: (lp, tg.astype(float), il, tl), {}, "targets"),
    ("float lengths", lambda lp, tg, il, tl: (lp, tg, il.astype(float), tl), {}, "input_lengths"),
    ("log_probs 2-D", lambda lp, tg, il, tl: (lp[:, 0], tg, il, tl), {}, "log_probs"),
    ("integer log_probs", lambda lp, tg, il, tl: (lp.astype(np.int64), tg, il, tl), {}, "log_probs"),
    ("blank >= C", lambda lp, tg, il, tl: (lp, tg, il, tl), {"blank": 4}, "blank"),
]


@pytest.mark.parametrize("what,make,params,arg", BAD, ids=[b[0] for b in BAD])
def test_bad_input(what, make, params, arg):
    with pytest.raises(ValueError, match=arg):
        CTC(*make(*_good()), **params)


CASES = cases_for("ctc")


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_cases_accepted(case):
    """Every case runs (value and gradient, no NaN), or raises ValueError iff tagged bad_input."""
    arrays = [case.arrays[k] for k in CTC.inputs]
    if case.bad_input:
        with pytest.raises(ValueError):
            CTC(*arrays, **case.params)
        return
    v = CTC(*arrays, reduction="none", **case.params)
    g = CTC.grad(*arrays, reduction="mean", **case.params)["log_probs"]
    assert v.shape == (arrays[0].shape[1],) and not np.any(np.isnan(v)) and not np.any(np.isnan(g))


def test_log_softmax_normalizes_logits_first():
    """log_softmax=True (TensorFlow's logits): the loss of the mpmath-normalized rows; the gradient is the
    one through the log_softmax (finite differences), so every used frame's gradient sums to 0."""
    x, tg, il, tl, params = BATCHES["concatenated_unnormalized"]
    v = CTC(x, tg, il, tl, reduction="none", log_softmax=True, **params)
    for n, labels in enumerate(_labels(tg, tl)):
        rows = [[mp.mpf(float(z)) for z in row] for row in x[: il[n], n, :]]
        lp = [[z - mp.log(mp.fsum(mp.exp(w) for w in row)) for z in row] for row in rows]
        paths = [p for p in itertools.product(range(x.shape[2]), repeat=int(il[n]))
                 if collapse(p, params["blank"]) == labels]
        exact = -mp.log(mp.fsum(mp.exp(mp.fsum(lp[t][c] for t, c in enumerate(p))) for p in paths))
        check_value("ctc", v[n], exact, scale=float(np.sum(np.abs(x[: il[n], n, :]))))
    rng = np.random.default_rng(5)
    cot = rng.normal(size=len(tl))
    g = CTC.grad(x, tg, il, tl, reduction="none", cotangent=cot, log_softmax=True, **params)["log_probs"]
    u = rng.normal(size=x.shape)
    fd = directional_fd(lambda z: CTC(z, tg, il, tl, reduction="none", log_softmax=True, **params), [x], 0, u, cot)
    assert abs(np.sum(g * u) - fd) <= 1e-8 * max(1.0, abs(fd))
    np.testing.assert_allclose(g.sum(axis=-1), 0.0, atol=1e-13)
