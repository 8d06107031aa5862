"""The score losses (reference/scores.py) against mpmath, finite differences and the source document.

Each oracle below is written from the loss's formula in mpmath (40 digits) on the exact
float inputs; it never calls the reference. Condition scales (where the ulp is taken of
something larger than |exact|) are documented at the test that uses them.
"""

import mpmath as mp
import numpy as np
import pytest
from numerics import check_value as _check_value
from numerics import directional_fd

from reference import LOSSES

SCORES = ("zero_one", "log_loss", "hinge", "modified_huber", "exponential", "brier_score", "label_ranking")
F = np.float64
rng0 = np.random.default_rng(20240)


def each(oracle, *arrays):
    """[oracle(a_i, b_i, ...) for each sample i]"""
    return [oracle(*args) for args in zip(*arrays, strict=True)]


def unreduced(name, *arrays, **params):
    return LOSSES[name](*arrays, reduction="none", **params)


def check_value(name, got, exact, scale=0.0):
    """numerics.check_value on the finite points; infinite exact values must be matched exactly.

    (numerics.ulp_error compares a whole batch exactly as soon as one value is infinite.)"""
    got, exact = np.asarray(got), list(exact)
    rounded = np.array([float(e) for e in exact])
    inf = np.isinf(rounded)  # infinite, or beyond the float64 range
    assert np.array_equal(got[inf], rounded[inf]), f"{name}: infinite values differ"
    fin = np.flatnonzero(~inf)
    return _check_value(name, got[fin], [exact[i] for i in fin], np.broadcast_to(scale, got.shape)[fin])


# ---------------------------------------------------------------- derivative helpers


def right_derivative(f, h=2.0**-20, levels=4):
    """lim_{t -> 0+} (f(t) - f(0)) / t: forward differences, Richardson-extrapolated."""
    f0, table = f(0.0), []
    for k in range(levels):
        hk = h / 2**k
        row = [(f(hk) - f0) / hk]
        for j in range(1, k + 1):
            row.append(row[j - 1] + (row[j - 1] - table[k - 1][j - 1]) / (2**j - 1))
        table.append(row)
    return table[-1][-1]


def check_grads(name, arrays, params=None, seed=1, directions=3):
    """Autograd VJP vs Richardson central differences, random cotangents and directions."""
    loss, params, rng = LOSSES[name], params or {}, np.random.default_rng(seed)
    f = lambda *a: unreduced(name, *a, **params)  # noqa: E731
    v = f(*arrays)
    cot = rng.normal(size=np.shape(v))
    g = loss.grad(*arrays, reduction="none", cotangent=cot, **params)
    for k in loss.differentiable:
        i = loss.inputs.index(k)
        for _ in range(directions):
            u = rng.normal(size=np.shape(arrays[i]))
            want = directional_fd(f, arrays, i, u, cot)
            got = np.sum(g[k] * u)
            tol = 1e-8 * np.sum(np.abs(g[k] * u)) + 1e-10 * np.sum(np.abs(cot * v)) + 1e-300
            assert abs(got - want) <= tol, f"{name} d/d{k}: {got!r} vs FD {want!r}"


def check_kinks(name, arrays, params=None, seed=2):
    """At a kink, Loss.grad(...).one_sided == the one-sided derivatives, coordinate by coordinate,
    and the gradient returned lies between them."""
    loss, params = LOSSES[name], params or {}
    cot = np.random.default_rng(seed).uniform(0.5, 2.0, size=np.shape(unreduced(name, *arrays, **params)))
    cot[::2] *= -1
    g = loss.grad(*arrays, reduction="none", cotangent=cot, **params)
    for k in loss.differentiable:
        i = loss.inputs.index(k)
        lo, hi = g.one_sided[k]
        for idx in np.ndindex(np.shape(arrays[i])):
            e = np.zeros(np.shape(arrays[i]))
            e[idx] = 1.0

            def phi(t, s, i=i, e=e):
                a = list(arrays)
                a[i] = a[i] + s * t * e
                return float(np.sum(cot * unreduced(name, *a, **params)))

            d_right, d_left = right_derivative(lambda t: phi(t, 1.0)), -right_derivative(lambda t: phi(t, -1.0))
            want = (min(d_left, d_right), max(d_left, d_right))
            tol = 1e-6 * (1.0 + abs(d_left) + abs(d_right))
            assert abs(lo[idx] - want[0]) <= tol and abs(hi[idx] - want[1]) <= tol, (
                f"{name} d/d{k}{list(idx)}: one_sided ({lo[idx]}, {hi[idx]}) vs one-sided FD {want}")
            assert want[0] - tol <= g[k][idx] <= want[1] + tol


# ---------------------------------------------------------------- zero_one


def mp_first_argmax(row):
    m = max(mp.mpf(x) for x in row)
    return next(c for c, x in enumerate(row) if mp.mpf(x) == m)


def test_zero_one_values():
    y = rng0.integers(0, 4, size=16)
    pred = np.where(rng0.random(16) < 0.5, y, (y + 1) % 4)
    check_value("zero_one", unreduced("zero_one", pred, y), each(lambda a, b: mp.mpf(int(a != b)), pred, y))
    s = rng0.normal(size=(12, 3))
    s[0] = [1.0, 1.0, 0.0]  # tie: the first max wins
    s[1] = [0.0, 2.0, 2.0]
    s[2] = [np.inf, 1.0, np.inf]
    s[3] = [-np.inf, -1e300, -np.inf]
    s[4] = [1e-9, 1e-9 * (1 + 2**-52), 0.0]
    s[5] = [1e8, -1e8, 1e8]
    t = np.array([1, 2, 2, 1, 1, 2, 0, 1, 2, 0, 1, 2])
    check_value("zero_one", unreduced("zero_one", s, t), each(lambda r, c: mp.mpf(int(mp_first_argmax(r) != c)), s, t))
    nan_row = np.array([[0.0, np.nan, 1.0], [1.0, 0.0, 0.0]])
    v = unreduced("zero_one", nan_row, np.array([2, 0]))
    assert np.isnan(v[0]) and v[1] == 0.0


# ---------------------------------------------------------------- log_loss

EDGE_P = np.array([1e-300, 2.0**-1074, 1e-9, 0.1, 0.5, 0.9, 1 - 2.0**-40, 1 - 1e-9, 0.0, 1.0, 0.3])


def mp_log_loss_binary(p, y, eps=0.0):
    p = min(max(mp.mpf(p), mp.mpf(eps)), 1 - mp.mpf(eps)) if eps else mp.mpf(p)
    if y == 1:
        return mp.inf if p == 0 else -mp.log(p)
    return mp.inf if p == 1 else -mp.log1p(-p)


def test_log_loss_binary_values():
    p = np.concatenate([EDGE_P, EDGE_P, rng0.uniform(0, 1, 6)])
    y = np.concatenate([np.ones(11, int), np.zeros(11, int), rng0.integers(0, 2, 6)])
    check_value("log_loss", unreduced("log_loss", p, y), each(mp_log_loss_binary, p, y))
    eps = float(np.finfo(np.float64).eps)  # sklearn 1.9.1's clip for float64
    check_value("log_loss", unreduced("log_loss", p, y, clip_eps=eps),
                each(lambda a, b: mp_log_loss_binary(a, b, eps), p, y))


def test_log_loss_multiclass_values():
    p = rng0.dirichlet(np.ones(4), size=16)
    p[0] = [1e-300, 1 - 2.0**-40, 2.0**-41, 0.0]
    p[1] = [0.0, 1.0, 0.0, 0.0]
    p[2] = [0.5, 0.2, 0.2, 0.2]  # rows are not renormalized
    y = rng0.integers(0, 4, size=16)
    y[:3] = [0, 1, 0]
    check_value("log_loss", unreduced("log_loss", p, y),
                each(lambda r, c: mp.inf if r[c] == 0 else -mp.log(mp.mpf(r[c])), p, y))
    assert unreduced("log_loss", p[1:2], np.array([0]))[0] == np.inf


def test_log_loss_grads():
    p = rng0.uniform(0.05, 0.95, size=7)
    check_grads("log_loss", [p, np.array([0, 1, 1, 0, 1, 0, 0])])
    check_grads("log_loss", [rng0.dirichlet(np.ones(3), size=5) * 0.9 + 0.03, np.array([0, 2, 1, 1, 0])])
    g = LOSSES["log_loss"].grad(np.array([0.25, 0.5]), np.array([1, 0]), reduction="none")["input"]
    assert np.array_equal(g, [-4.0, 2.0])  # -1/p, 1/(1 - p)
    g = LOSSES["log_loss"].grad(np.array([0.0, 1.0]), np.array([0, 1]), reduction="none")["input"]
    assert np.array_equal(g, [1.0, -1.0])  # saturated but correct: finite, no 0 * inf


# ---------------------------------------------------------------- hinge


def test_hinge_binary_values():
    f = np.array([1.0, -1.0, 0.0, 1e-9, -1e-9, 1e8, -1e8, 1 - 2.0**-53, 1 + 2.0**-52, 2.5, -0.3, 1e300])
    f = np.concatenate([f, rng0.normal(size=10)])
    y = np.tile([1, -1], 11)
    y[:2] = [1, -1]  # margins exactly met
    check_value("hinge", unreduced("hinge", f, y), each(lambda a, b: max(mp.mpf(0), 1 - int(b) * mp.mpf(a)), f, y))


def test_hinge_multiclass_values():
    # Condition scale: 1 + max_{c != y} f_c - f_y is two roundings on terms of the row's size,
    # so the ulp is taken of max(1, max_c |f_c|).
    f = rng0.normal(size=(20, 4))
    f[0] = [2.0, 1.0, 1.0, 0.0]  # margin met exactly, tied rivals
    f[1] = [1e8, 1e8, -1e8, 0.0]
    f[2] = [1e-9, -1e-9, 2e-9, 0.0]
    f[3] = [0.5, 0.5, 0.5, 0.5]
    f[4] = [-3.0, 1e300, 0.0, 1.0]
    y = rng0.integers(0, 4, size=20)
    y[:5] = [0, 1, 2, 3, 0]

    def oracle(r, c):
        rival = max(mp.mpf(x) for k, x in enumerate(r) if k != c)
        return max(mp.mpf(0), 1 + rival - mp.mpf(r[c]))

    check_value("hinge", unreduced("hinge", f, y), each(oracle, f, y), scale=np.maximum(1.0, np.max(np.abs(f), axis=1)))


def test_hinge_grads_and_kinks():
    f = rng0.normal(size=8)
    f[np.abs(np.abs(f) - 1) < 0.05] = 0.3
    check_grads("hinge", [f, np.array([1, -1, 1, 1, -1, -1, 1, -1])])
    s = rng0.normal(size=(5, 3)) * 2
    y = np.array([0, 1, 2, 0, 1])
    s[np.arange(5), y] += 3.0 * np.array([0, 1, 0, 0, 1])  # some rows with zero loss
    check_grads("hinge", [s, y])
    check_kinks("hinge", [np.array([1.0, -1.0, 0.5, 2.0]), np.array([1, -1, 1, 1])])  # y f = 1
    # multiclass: margin met exactly (row 1) and ties among rivals (rows 0 and 2), placed where
    # the core's fixed sign pattern separates the tied entries
    s = np.array([[2.0, -1.0, 0.5, 0.5], [3.0, 1.0, 0.0, 2.0], [0.25, 0.25, -3.0, 0.0]])
    check_kinks("hinge", [s, np.array([0, 0, 3])])


def test_hinge_tie_between_equal_rivals_is_split_by_the_random_nudge():
    # a tie inside max between equal-magnitude rivals: only the random-size nudge separates them
    check_kinks("hinge", [np.array([[2.0, 0.5, 0.5], [0.0, 0.0, 0.0]]), np.array([0, 2])])


# ---------------------------------------------------------------- modified_huber, exponential

Z = np.array([-1.0, 1.0, -1 - 2.0**-52, -1 + 2.0**-53, 1 - 2.0**-53, 1 + 2.0**-52, 0.0, 0.5, -0.5, 2.0, -2.0,
              1e8, -1e8, 1e-9, -1e-9, 1e300, -1e300, 0.999, -3.7, 7.25, -0.9])


def mp_modified_huber(z):
    z = mp.mpf(z)
    return max(mp.mpf(0), 1 - z) ** 2 if z >= -1 else -4 * z


def test_modified_huber_values():
    y = np.tile([1, -1], 11)[: len(Z)]
    f = Z * y  # y f = Z
    check_value("modified_huber", unreduced("modified_huber", f, y), [mp_modified_huber(z) for z in Z])


def test_modified_huber_grads_c1():
    f = np.array([0.3, -2.5, 1.7, -0.4, 3.0])
    check_grads("modified_huber", [f, np.array([1, 1, -1, -1, 1])])
    # z = +-1 are C1 points: the one-sided bounds collapse onto the derivative (-4 y at z = -1, 0 at z = 1)
    check_kinks("modified_huber", [np.array([-1.0, 1.0, 1.0, -1.0]), np.array([1, -1, 1, -1])])
    g = LOSSES["modified_huber"].grad(np.array([-1.0, 1.0, -np.inf, np.inf]), np.array([1, 1, 1, 1]),
                                      reduction="none")["input"]
    assert np.array_equal(g, [-4.0, 0.0, -4.0, 0.0])  # the linear branch's slope reaches z = -inf (no NaN)


def test_exponential_values():
    f = np.concatenate([[0.0, 1.0, -1.0, 700.0, -700.0, 745.0, -745.0, 1e8, -1e8, 1e-9, -1e-9, 709.78, -709.79],
                        rng0.normal(size=8) * 5, [0.25, -2.5, 3.0, -0.125, 40.0, -40.0]])
    y = np.tile([1, -1], 14)[: len(f)]
    check_value("exponential", unreduced("exponential", f, y), each(lambda a, b: mp.exp(-int(b) * mp.mpf(a)), f, y))


def test_exponential_grads():
    check_grads("exponential", [rng0.normal(size=6), np.array([1, -1, 1, -1, 1, 1])])


# ---------------------------------------------------------------- brier_score


def test_brier_binary_values():
    p = np.concatenate([EDGE_P, EDGE_P])
    y = np.concatenate([np.ones(11, int), np.zeros(11, int)])
    check_value("brier_score", unreduced("brier_score", p, y), each(lambda a, b: (mp.mpf(a) - int(b)) ** 2, p, y))


def test_brier_multiclass_values():
    p = rng0.dirichlet(np.ones(5), size=20)
    p[0] = [1.0, 0, 0, 0, 0]
    p[1] = [1e-300, 1 - 2.0**-40, 2.0**-40, 0, 0]
    p[2] = [0.2] * 5
    y = rng0.integers(0, 5, size=20)
    exact = each(lambda r, c: mp.fsum((mp.mpf(r[k]) - (k == c)) ** 2 for k in range(5)), p, y)
    check_value("brier_score", unreduced("brier_score", p, y), exact)


def test_brier_grads():
    check_grads("brier_score", [rng0.uniform(size=6), np.array([0, 1, 1, 0, 1, 0])])
    check_grads("brier_score", [rng0.dirichlet(np.ones(3), size=4), np.array([0, 2, 1, 1])])


# ---------------------------------------------------------------- label_ranking


def mp_label_ranking(f, t):
    rel = [k for k in range(len(t)) if t[k] == 1]
    irr = [k for k in range(len(t)) if t[k] == 0]
    if not rel or not irr:
        return mp.mpf(0)
    wrong = sum(1 for k in rel for l in irr if mp.mpf(f[k]) <= mp.mpf(f[l]))
    return mp.mpf(wrong) / (len(rel) * len(irr))


def test_label_ranking_values():
    f = rng0.integers(0, 3, size=(24, 5)).astype(F)  # many ties
    f[:8] = rng0.normal(size=(8, 5))
    f[8] = [1e8, 1e-9, -1e8, np.inf, -np.inf]
    t = rng0.integers(0, 2, size=(24, 5))
    t[9], t[10] = 1, 0  # all relevant / none relevant
    check_value("label_ranking", unreduced("label_ranking", f, t), each(mp_label_ranking, f, t))
    v = unreduced("label_ranking", np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 2.0]]), np.array([[1, 0, 0], [1, 0, 1]]))
    assert np.isnan(v[0]) and v[1] == 0.5


# ---------------------------------------------------------------- the source document's examples


def test_document_examples():
    # 004_18f5d166812d638a.txt, the sklearn doctests it quotes
    pred, true = np.array([1, 2, 3, 4]), np.array([2, 2, 3, 4])
    assert LOSSES["zero_one"](pred, true) == 0.25
    assert LOSSES["zero_one"](pred, true, reduction="sum") == 1  # normalize=False
    v = LOSSES["log_loss"](np.array([[0.9, 0.1], [0.8, 0.2], [0.3, 0.7], [0.01, 0.99]]), np.array([0, 0, 1, 1]))
    assert 0.1738 <= v < 0.1739  # "0.1738..."
    y, p = np.array([0, 1, 1, 0]), np.array([0.1, 0.9, 0.8, 0.4])
    assert LOSSES["brier_score"](p, y) == 0.055
    assert LOSSES["brier_score"](1 - p, 1 - y) == 0.055  # pos_label=0
    assert LOSSES["brier_score"]((p > 0.5).astype(F), y) == 0.0
    t = np.array([[1, 0, 0], [0, 0, 1]])
    assert LOSSES["label_ranking"](np.array([[0.75, 0.5, 1], [1, 0.2, 0.1]]), t) == 0.75
    assert LOSSES["label_ranking"](np.array([[1.0, 0.1, 0.2], [0.1, 0.2, 0.9]]), t) == 0.0
    # hinge: decision values printed truncated (-2.18..., 2.36..., 0.09...) -> "0.3..."
    assert 0.3 <= LOSSES["hinge"](np.array([-2.18, 2.36, 0.09]), np.array([-1, 1, 1])) < 0.4


# ---------------------------------------------------------------- bad input

P3, Y3 = np.array([0.2, 0.5, 0.9]), np.array([0, 1, 1])
S23 = np.array([[0.1, 0.9], [0.4, 0.6]])
BAD = [
    ("zero_one", [np.array([1, 2]), np.array([1, 2, 3])], {}, "input"),
    ("zero_one", [np.array([1.0, 2.0]), np.array([1, 2])], {}, "input"),  # float labels
    ("zero_one", [S23, np.array([0, 2])], {}, "target"),  # class out of range
    ("zero_one", [S23, np.array([0.0, 1.0])], {}, "target"),
    ("log_loss", [np.array([0.2, 1.5, 0.3]), Y3], {}, "input"),
    ("log_loss", [np.array([0.2, -1e-300, 0.3]), Y3], {}, "input"),
    ("log_loss", [P3, np.array([0, 2, 1])], {}, "target"),
    ("log_loss", [P3, np.array([0, -1, 1])], {}, "target"),
    ("log_loss", [np.array([0, 1, 1]), Y3], {}, "input"),  # integer probabilities
    ("log_loss", [P3, Y3.astype(F)], {}, "target"),
    ("log_loss", [P3, Y3[:2]], {}, "target"),
    ("log_loss", [S23, np.array([0, 2])], {}, "target"),
    ("log_loss", [S23, np.array([[0, 1], [1, 0]])], {}, "target"),
    ("log_loss", [P3, Y3], {"clip_eps": 0.7}, "clip_eps"),
    ("log_loss", [P3, Y3], {"eps": 1e-7}, "eps"),  # unknown parameter
    ("log_loss", [P3, Y3], {"reduction": "batchmean"}, "reduction"),
    ("hinge", [P3, Y3], {}, "target"),  # {0, 1} labels: the adapters map them
    ("hinge", [P3, np.array([-1, 1])], {}, "target"),
    ("hinge", [np.array([1, -1, 1]), np.array([1, -1, 1])], {}, "input"),
    ("hinge", [S23, np.array([0, 3])], {}, "target"),
    ("hinge", [np.ones((3, 1)), np.array([0, 0, 0])], {}, "input"),  # a single class
    ("hinge", [np.ones((2, 2, 2)), np.array([0, 0])], {}, "input"),
    ("modified_huber", [P3, np.array([1, 0, -1])], {}, "target"),
    ("modified_huber", [P3, np.array([1.0, -1.0, 1.0])], {}, "target"),
    ("modified_huber", [P3, np.array([1, -1])], {}, "target"),
    ("exponential", [P3, np.array([2, -1, 1])], {}, "target"),
    ("exponential", [np.array([1, 2, 3]), np.array([1, -1, 1])], {}, "input"),
    ("brier_score", [np.array([0.2, 1.0 + 2**-52, 0.1]), Y3], {}, "input"),
    ("brier_score", [P3, np.array([0, 1, -1])], {}, "target"),
    ("brier_score", [S23, np.array([0, 5])], {}, "target"),
    ("brier_score", [S23, np.array([0, 1, 1])], {}, "target"),
    ("label_ranking", [np.array([[1, 2], [3, 4]]), np.array([[1, 0], [0, 1]])], {}, "input"),
    ("label_ranking", [S23, np.array([[2, 0], [0, 1]])], {}, "target"),
    ("label_ranking", [S23, np.array([[1, 0, 0], [0, 1, 0]])], {}, "target"),
    ("label_ranking", [np.array([0.1, 0.9]), np.array([1, 0])], {}, "input"),
]


@pytest.mark.parametrize("name, arrays, params, argument", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_raises(name, arrays, params, argument):
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays, **params)


# ---------------------------------------------------------------- beyond the documents: squared_hinge, multi_margin
# (their own generator: drawing from rng0 would change the inputs of the tests above)

rng_b = np.random.default_rng(1213)


def mp_squared_hinge(f, y):
    return max(mp.mpf(0), 1 - int(y) * mp.mpf(float(f))) ** 2


def test_squared_hinge_values():
    f = np.concatenate([[1.0, -1.0, 0.0, 1 - 2**-52, 1 + 2**-52, 1e-300, -1e8, 1e8, 0.5, 3.0, 1e154, -1e200],
                        rng_b.normal(size=12) * 2])
    y = np.concatenate([[1, -1, 1, 1, 1, -1, 1, -1, -1, 1, -1, 1], rng_b.choice([-1, 1], size=12)])
    exact = each(mp_squared_hinge, f, y)
    check_value("squared_hinge", unreduced("squared_hinge", f, y), exact)  # 1 - y f: one rounding, then a square
    check_value("squared_hinge", [LOSSES["squared_hinge"](f, y, reduction="sum")], [mp.fsum(exact)])
    check_value("squared_hinge", [LOSSES["squared_hinge"](f, y, reduction="mean")], [mp.fsum(exact) / len(f)])
    assert unreduced("squared_hinge", np.array([[np.inf, -np.inf]]), np.array([[1, 1]])).tolist() == [[0.0, np.inf]]


def test_squared_hinge_grads_c1_at_the_hinge():
    f, y = rng_b.normal(size=(4, 3)) * 2, rng_b.choice([-1, 1], size=(4, 3))
    check_grads("squared_hinge", [f, y])
    # y f = 1 exactly: both one-sided slopes are 0 (C1), and so are the bounds
    check_kinks("squared_hinge", [np.array([1.0, -1.0, 0.5]), np.array([1, -1, 1])])


def mp_multi_margin(f, y, p=1, margin=1.0, weight=None):
    """(value, condition scale): |v| + w_y / C sum_{active i} p z^(p-1) (|margin| + |f_y| + |f_i|)."""
    f = [mp.mpf(float(v)) for v in f]
    c, m = len(f), mp.mpf(margin)
    w = mp.mpf(1) if weight is None else mp.mpf(float(weight[y]))
    z = [max(mp.mpf(0), m - f[y] + f[i]) for i in range(c) if i != y]
    v = w * mp.fsum(t**p for t in z) / c
    s = abs(v) + abs(w) / c * mp.fsum(p * t ** (p - 1) * (abs(m) + abs(f[y]) + abs(f[i]))
                                      for t, i in zip(z, [i for i in range(c) if i != y]) if t > 0)
    return v, s


@pytest.mark.parametrize("params", [{}, {"p": 2}, {"margin": 0.5}, {"margin": 0.0, "p": 2},
                                    {"weight": np.array([0.5, 2.0, 1.0, 3.0])}, {"p": 2, "weight": np.arange(4.0)}])
def test_multi_margin_values(params):
    f = np.concatenate([[[0.1, 0.2, 0.4, 0.8], [1.0, 0.0, 0.0, 0.0], [1e8, -1e8, 0.0, 1e-300], [0.5, 0.5, 0.5, 0.5],
                         [0.0, 1.0, 1.0 + 2**-52, 3.0]], rng_b.normal(size=(17, 4)) * 2])
    y = np.concatenate([[3, 0, 1, 2, 1], rng_b.integers(0, 4, size=17)])
    out = [mp_multi_margin(row, t, **params) for row, t in zip(f, y)]
    exact, scale = [v for v, _ in out], np.array([float(s) for _, s in out])
    check_value("multi_margin", unreduced("multi_margin", f, y, **params), exact, scale)
    check_value("multi_margin", [LOSSES["multi_margin"](f, y, reduction="mean", **params)],
                [mp.fsum(exact) / len(f)], float(np.sum(scale)) / len(f))
    check_value("multi_margin", [LOSSES["multi_margin"](f, y, reduction="sum", **params)], [mp.fsum(exact)],
                float(np.sum(scale)))


def test_multi_margin_torch_document_example():
    # torch 2.14 MultiMarginLoss docstring: x = [[0.1, 0.2, 0.4, 0.8]], y = [3]:
    # 0.25 * ((1 - (0.8 - 0.1)) + (1 - (0.8 - 0.2)) + (1 - (0.8 - 0.4))) = 0.25 * 1.3 = 0.325 ("0.32...")
    got = LOSSES["multi_margin"](np.array([[0.1, 0.2, 0.4, 0.8]]), np.array([3]))
    assert got == pytest.approx(0.325, rel=1e-15)


@pytest.mark.parametrize("params", [{}, {"p": 2}, {"margin": 0.3, "weight": np.array([0.5, 2.0, 1.0])}])
def test_multi_margin_grads_and_kinks(params):
    f, y = rng_b.normal(size=(5, 3)) * 2, rng_b.integers(0, 3, size=5)
    z = params.get("margin", 1.0) - f[np.arange(5), y][:, None] + f
    f = f + np.where(np.abs(z) < 0.05, 0.1, 0.0) * (np.arange(3) != y[:, None])  # FD must not cross a hinge
    check_grads("multi_margin", [f, y], params)
    m = params.get("margin", 1.0)
    kinked = np.array([[0.0, m, 2.0], [1.0, 0.5, 0.5 - m], [0.25, 0.25 + m, 0.25]])  # margin - f_y + f_i = 0
    check_kinks("multi_margin", [kinked, np.array([0, 1, 2])], params)


MORE_BAD = [
    ("squared_hinge", [P3, np.array([1, 0, -1])], {}, "target"),  # {0, 1} labels: the adapters map them
    ("squared_hinge", [P3, np.array([1.0, -1.0, 1.0])], {}, "target"),
    ("squared_hinge", [P3, np.array([1, -1])], {}, "target"),
    ("squared_hinge", [np.array([1, 2, 3]), np.array([1, -1, 1])], {}, "input"),
    ("multi_margin", [S23, np.array([0, 2])], {}, "target"),
    ("multi_margin", [S23, np.array([0.0, 1.0])], {}, "target"),
    ("multi_margin", [S23, np.array([0, 1, 1])], {}, "target"),
    ("multi_margin", [np.array([0.1, 0.9]), np.array([1])], {}, "input"),
    ("multi_margin", [np.array([[1, 2], [3, 4]]), np.array([0, 1])], {}, "input"),
    ("multi_margin", [S23, np.array([0, 1])], {"p": 3}, "p"),
    ("multi_margin", [S23, np.array([0, 1])], {"weight": np.ones(3)}, "weight"),
    ("multi_margin", [S23, np.array([0, 1])], {"weight": np.ones(2, dtype=int)}, "weight"),
]


@pytest.mark.parametrize("name, arrays, params, argument", MORE_BAD,
                         ids=[f"{b[0]}-{i}" for i, b in enumerate(MORE_BAD)])
def test_bad_input_raises_beyond(name, arrays, params, argument):
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays, **params)


def test_perceptron_values_grads_kinks():
    f = np.concatenate([[0.0, 1.0, -1.0, 1e-300, -1e8, 1e8, 0.5, -0.5], rng_b.normal(size=14)])
    y = np.concatenate([[1, -1, 1, -1, 1, 1, -1, -1], rng_b.choice([-1, 1], size=14)])
    exact = each(lambda a, b: max(mp.mpf(0), -int(b) * mp.mpf(float(a))), f, y)
    check_value("perceptron", unreduced("perceptron", f, y), exact)
    check_value("perceptron", [LOSSES["perceptron"](f, y, reduction="sum")], [mp.fsum(exact)])
    check_grads("perceptron", [rng_b.normal(size=(3, 4)) + 0.2, rng_b.choice([-1, 1], size=(3, 4))])
    check_kinks("perceptron", [np.array([0.0, 0.0, 1.0]), np.array([1, -1, 1])])  # f = 0: slopes 0 and -y


def test_multiclass_perceptron_values_grads_kinks():
    f = np.concatenate([[[0.1, 0.2, 0.4], [1e8, -1e8, 1e8 + 2], [0.5, 0.5, 0.5], [1e-300, 0.0, -1.0]],
                        rng_b.normal(size=(18, 3))])
    y = np.concatenate([[2, 0, 1, 1], rng_b.integers(0, 3, size=18)])
    exact = [max(mp.mpf(float(v)) for v in row) - mp.mpf(float(row[k])) for row, k in zip(f, y)]
    scale = np.array([2 * float(max(abs(mp.mpf(float(v))) for v in row)) for row in f])  # a difference: one rounding
    check_value("multiclass_perceptron", unreduced("multiclass_perceptron", f, y), exact, scale)
    g = rng_b.normal(size=(4, 3))
    check_grads("multiclass_perceptron", [g + np.where(np.arange(3) == np.argmax(g, axis=1)[:, None], 0.1, 0.0),
                                          np.array([0, 1, 2, 0])])
    check_kinks("multiclass_perceptron", [np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0]]), np.array([0, 1])])


@pytest.mark.parametrize("name, arrays, argument", [
    ("perceptron", [P3, np.array([1, 0, -1])], "target"), ("perceptron", [P3, np.array([1, -1])], "target"),
    ("perceptron", [np.array([1, 2, 3]), np.array([1, -1, 1])], "input"),
    ("multiclass_perceptron", [S23, np.array([0, 2])], "target"),
    ("multiclass_perceptron", [np.array([0.1, 0.9]), np.array([1])], "input"),
    ("multiclass_perceptron", [S23, np.array([0.0, 1.0])], "target")])
def test_bad_input_perceptrons(name, arrays, argument):
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays)


# ---------------------------------------------------------------- coverage_error, lrap (issue 11, batch NL1)
# Exact rationals of integer counts: the oracle counts with mpmath comparisons on the exact float scores.

rng_r = np.random.default_rng(3131)


def mp_coverage(f, t):
    rel = [mp.mpf(float(f[k])) for k in range(len(t)) if t[k] == 1]
    if not rel:
        return mp.mpf(0)
    return mp.mpf(sum(1 for v in f if mp.mpf(float(v)) >= min(rel)))


def mp_lrap(f, t):
    rel = [k for k in range(len(t)) if t[k] == 1]
    if len(rel) in (0, len(t)):
        return mp.mpf(1)
    s = [mp.mpf(float(v)) for v in f]
    return mp.fsum(mp.mpf(sum(1 for k in rel if s[k] >= s[j])) / sum(1 for v in s if v >= s[j]) for j in rel) / len(rel)


def ranking_batch():
    f = rng_r.integers(0, 3, size=(26, 5)).astype(F)  # many ties
    f[:10] = rng_r.normal(size=(10, 5))
    f[10] = [1e300, 1e-300, -1e300, np.inf, -np.inf]
    f[11] = [1.0, 1.0 + 2**-52, 1.0 - 2**-53, 5e-324, 0.0]
    t = rng_r.integers(0, 2, size=(26, 5))
    t[12], t[13] = 1, 0  # all relevant / none relevant
    t[10], t[11] = [0, 1, 1, 1, 0], [1, 0, 1, 0, 1]
    return f, t


@pytest.mark.parametrize("name, oracle", [("coverage_error", mp_coverage), ("lrap", mp_lrap)])
def test_ranking_depth_values(name, oracle):
    f, t = ranking_batch()
    exact = each(oracle, f, t)
    check_value(name, unreduced(name, f, t), exact)
    check_value(name, [LOSSES[name](f, t, reduction="mean")], [mp.fsum(exact) / len(f)])
    check_value(name, [LOSSES[name](f, t, reduction="sum")], [mp.fsum(exact)])
    v = unreduced(name, np.array([[np.nan, 0.0, 1.0], [0.0, 1.0, 2.0]]), np.array([[1, 0, 0], [1, 0, 1]]))
    assert np.isnan(v[0])
    check_value(name, v[1:], [oracle([0.0, 1.0, 2.0], [1, 0, 1])])


def test_ranking_depth_document_examples():
    # scikit-learn 1.9.1 docstrings: coverage_error 1.5; label_ranking_average_precision_score 0.416...
    assert LOSSES["coverage_error"](np.array([[1.0, 0, 0], [0, 1, 1]]), np.array([[1, 0, 0], [0, 1, 1]])) == 1.5
    got = LOSSES["lrap"](np.array([[0.75, 0.5, 1], [1, 0.2, 0.1]]), np.array([[1, 0, 0], [0, 0, 1]]))
    assert got == pytest.approx(5 / 12, rel=1e-15)
    # ties rank last: both labels tied at the top, one relevant: coverage 2, precision 1/2
    assert unreduced("coverage_error", np.array([[1.0, 1.0]]), np.array([[0, 1]])).tolist() == [2.0]
    assert unreduced("lrap", np.array([[1.0, 1.0]]), np.array([[0, 1]])).tolist() == [0.5]


@pytest.mark.parametrize("name", ["coverage_error", "lrap"])
@pytest.mark.parametrize("arrays, argument", [
    ([S23, np.array([[2, 0], [0, 1]])], "target"), ([S23, np.array([[1, 0, 0], [0, 1, 0]])], "target"),
    ([np.array([0.1, 0.9]), np.array([1, 0])], "input"), ([np.array([[1, 2], [3, 4]]), np.array([[1, 0], [0, 1]])],
                                                          "input"),
    ([S23, np.array([[1.0, 0.0], [0.0, 1.0]])], "target")])
def test_bad_input_ranking_depths(name, arrays, argument):
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays)
