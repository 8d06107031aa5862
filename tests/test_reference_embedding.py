"""The embedding/ranking losses (reference/embedding.py) against mpmath and finite differences.

The oracles are written from each formula in mpmath on the exact float inputs. Where an
error is measured in ulps of a condition scale instead of |exact|, the test says which.
"""

import mpmath as mp
import numpy as np
import pytest
from test_reference_scores import check_grads, check_kinks, check_value, each, unreduced

from reference import LOSSES

EMBEDDING = ("margin_ranking", "multilabel_margin", "hinge_embedding", "cosine_embedding", "triplet_margin", "center")
rng0 = np.random.default_rng(77)
M = mp.mpf


# ---------------------------------------------------------------- margin_ranking, hinge_embedding

X1 = np.array([0.5, 2.0, -1.0, 1e-9, 1e8, -1e8, 3.0, 0.0, 1.0, 1.0 + 2**-52, 1e300, -2.5])
X2 = np.array([0.5, 1.0, -1.5, -1e-9, 1e8 - 1, 1e8, 3.0 - 2**-50, 0.0, 2.0, 1.0, -1e300, -2.0])


@pytest.mark.parametrize("margin", [0.0, 0.5, -1.0, 1e8])
def test_margin_ranking_values(margin):
    # condition scale: -y (x1 - x2) + margin is two roundings of terms of size max(|x1|, |x2|, |margin|)
    x1 = np.concatenate([X1, X1, rng0.normal(size=6)])
    x2 = np.concatenate([X2, X1 + margin, rng0.normal(size=6)])  # the second block (y = -1) meets the margin
    y = np.concatenate([np.ones(12), -np.ones(12), np.sign(rng0.normal(size=6))])
    exact = each(lambda a, b, c: max(M(0), -int(c) * (M(a) - M(b)) + M(margin)), x1, x2, y)
    scale = np.maximum(np.maximum(np.abs(x1), np.abs(x2)), abs(margin))
    check_value("margin_ranking", unreduced("margin_ranking", x1, x2, y, margin=margin), exact, scale)


def test_margin_ranking_grads_and_kinks():
    x1, x2 = rng0.normal(size=(2, 3, 4))
    y = np.where(rng0.random((3, 4)) < 0.5, -1.0, 1.0)
    x2[np.abs(-y * (x1 - x2) + 0.3) < 0.05] += 0.2
    check_grads("margin_ranking", [x1, x2, y], {"margin": 0.3})
    # -y (x1 - x2) + margin = 0 exactly
    check_kinks("margin_ranking", [np.array([1.0, 0.0, 2.5]), np.array([1.5, 0.5, 2.0]), np.array([-1.0, -1.0, 1.0])],
                {"margin": 0.5})


@pytest.mark.parametrize("margin", [1.0, 0.25, 1e8])
def test_hinge_embedding_values(margin):
    # condition scale for y = -1: margin - x is one rounding of terms of size max(|x|, |margin|)
    x = np.concatenate([X1, [margin, margin * (1 + 2**-52), -margin], rng0.normal(size=8)])
    y = np.where(np.arange(len(x)) % 3 == 0, 1, -1)
    exact = each(lambda a, b: M(a) if b == 1 else max(M(0), M(margin) - M(a)), x, y)
    scale = np.where(y == 1, 0.0, np.maximum(np.abs(x), margin))
    check_value("hinge_embedding", unreduced("hinge_embedding", x, y.astype(float), margin=margin), exact, scale)


def test_hinge_embedding_grads_and_kinks():
    x = np.array([[0.3, 2.0, -0.7], [1.4, 0.2, 5.0]])
    y = np.array([[1.0, -1.0, -1.0], [-1.0, 1.0, -1.0]])
    check_grads("hinge_embedding", [x, y])
    check_kinks("hinge_embedding", [np.array([1.0, 0.5, 1.0]), np.array([-1.0, -1.0, 1.0])])  # x = margin
    check_kinks("hinge_embedding", [np.array([0.25, 2.0]), np.array([-1.0, -1.0])], {"margin": 0.25})


# ---------------------------------------------------------------- multilabel_margin


def mp_multilabel_margin(x, t):
    c = len(x)
    listed = []
    for k in t:
        if k == -1:
            break
        listed.append(int(k))
    terms = [max(M(0), 1 - M(x[j]) + M(x[i])) for j in listed for i in range(c) if i not in listed]
    return mp.fsum(terms) / c


def test_multilabel_margin_values():
    # condition scale: each pair term is two roundings of size 1 + max|x|, summed over the pairs, / C
    x = rng0.normal(size=(22, 5))
    x[0] = [1.0, 0.0, 2.0, -1.0, 0.5]  # margins met exactly (1 - x_0 + x_1 = 0, ...)
    x[1] = [1e8, 1e8 - 1, -1e8, 0.0, 1.0]
    x[2] = [1e-9, -1e-9, 2e-9, 0.0, 3e-9]
    x[3] = [0.5] * 5  # all tied
    t = np.full((22, 5), -1)
    for n in range(22):
        k = n % 6  # 0..5 labels listed (5 = all, no terminator)
        t[n, :k] = rng0.permutation(5)[:k]
        if k < 4 and n % 2:
            t[n, k + 1:] = rng0.integers(0, 5, size=4 - k)  # junk after the terminator is ignored
    t[0, :3] = [0, 2, -1]
    v = unreduced("multilabel_margin", x, t)
    n_pairs = np.array([(r[: list(r).index(-1)] if -1 in r else r).size for r in t])
    scale = n_pairs * (5 - n_pairs) * (1 + np.max(np.abs(x), axis=1)) / 5
    check_value("multilabel_margin", v, each(mp_multilabel_margin, x, t), scale)


def test_multilabel_margin_torch_docs_example():
    # labels 3 and 0 (not 1, after the -1): (1.1 + 1.3 + 0.4 + 0.6) / 4, hand-computed in torch's docs
    v = LOSSES["multilabel_margin"](np.array([[0.1, 0.2, 0.4, 0.8]]), np.array([[3, 0, -1, 1]]))
    assert abs(v - 0.85) <= 2e-16


def test_multilabel_margin_grads_and_kinks():
    x = np.array([[0.1, 0.2, 0.4, 0.8], [2.0, -1.3, 0.6, 0.25], [3.1, 0.15, -0.35, 1.3]])
    t = np.array([[3, 0, -1, 1], [1, -1, 0, 0], [0, 1, 2, 3]])
    check_grads("multilabel_margin", [x, t])
    # x_0 - x_1 = 1, at magnitudes where the core's nudges (2**-30 max(|x|, 1)) move x_0 - x_1
    check_kinks("multilabel_margin", [np.array([[3.0, 2.0, 4.5, -1.0]]), np.array([[0, 2, -1, 0]])])


def test_multilabel_margin_kink_in_a_difference_of_equal_steps():
    # a kink in x_0 - x_1 that an equal nudge of both leaves unmoved: the random-size nudge moves it
    check_kinks("multilabel_margin", [np.array([[1.0, 0.0, 2.5, -1.0]]), np.array([[0, 2, -1, 0]])])


# ---------------------------------------------------------------- cosine_embedding


def mp_cosine_embedding(a, b, y, margin=0.0, eps=0.0):
    n1 = mp.fsum(M(v) ** 2 for v in a) + M(eps)
    n2 = mp.fsum(M(v) ** 2 for v in b) + M(eps)
    cos = M(0) if n1 * n2 == 0 else mp.fsum(M(u) * M(v) for u, v in zip(a, b, strict=True)) / mp.sqrt(n1 * n2)
    return 1 - cos if y == 1 else max(M(0), cos - M(margin))


@pytest.mark.parametrize("margin, eps", [(0.0, 0.0), (0.5, 0.0), (-0.25, 0.0), (0.0, 1e-12)])
def test_cosine_embedding_values(margin, eps):
    # condition scale 1 + |margin|: cos is a ratio of sums, accurate to a few ulps of 1, not of 1 - cos
    x1, x2 = rng0.normal(size=(2, 22, 4))
    x1[0], x2[0] = 0.0, rng0.normal(size=4)  # zero vectors: cos = 0
    x1[1], x2[1] = rng0.normal(size=4), 0.0
    x1[2] = x2[2] = 0.0
    x2[3] = 2 * x1[3]  # parallel: 1 - cos = 0
    x2[4] = -0.5 * x1[4]  # antiparallel
    x1[5], x2[5] = [1.0, 0, 0, 0], [0, 1.0, 0, 0]  # orthogonal
    x1[6], x2[6] = x1[6] * 1e-200, x2[6] * 1e200  # squared norms would under/overflow
    x1[7], x2[7] = x1[7] * 1e-160, x2[7] * 1e-170
    x1[8], x2[8] = x1[8] * 1e8, x2[8] * 1e-9
    x1[9], x2[9] = [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0 + 2**-30]
    x1[10], x2[10] = [1e-7, 0, 0, 0], [1e-7, 0, 0, 0]  # eps = 1e-12 matters here
    y = np.where(np.arange(22) < 11, 1.0, -1.0)
    x1[11:22:2], x2[11:22:2] = x1[:11:2], x2[:11:2]  # the same edges with y = -1
    v = unreduced("cosine_embedding", x1, x2, y, margin=margin, eps=eps)
    exact = each(lambda a, b, c: mp_cosine_embedding(a, b, c, margin, eps), x1, x2, y)
    check_value("cosine_embedding", v, exact, 1 + abs(margin))


def test_cosine_embedding_grads_and_kinks():
    x1, x2 = rng0.normal(size=(2, 4, 3))
    y = np.array([1.0, -1.0, 1.0, -1.0])
    x2[1], x2[3] = x1[1] + 0.3 * x2[1], x1[3] + 0.2 * x2[3]  # cos > 0.1 on the y = -1 rows (loss active)
    check_grads("cosine_embedding", [x1, x2, y], {"margin": -0.2})
    check_grads("cosine_embedding", [x1, x2, y], {"eps": 1e-3})
    # y = -1 with cos = margin exactly: cos((1, 0), (1, 1)) = 1 / sqrt 2 ... use cos = 0 with margin 0
    check_kinks("cosine_embedding", [np.array([[1.0, 0.0, 2.0]]), np.array([[0.0, 3.0, 0.0]]), np.array([-1.0])])
    g = LOSSES["cosine_embedding"].grad(np.zeros((1, 3)), np.ones((1, 3)), np.array([1.0]), reduction="none")
    assert np.array_equal(g["x1"], np.zeros((1, 3))) and np.array_equal(g["x2"], np.zeros((1, 3)))  # documented


# ---------------------------------------------------------------- triplet_margin


def mp_pnorm(u, v, p, eps):
    d = [M(a) - M(b) + M(eps) for a, b in zip(u, v, strict=True)]
    if p == 2:
        return mp.sqrt(mp.fsum(x * x for x in d))
    return mp.fsum(abs(x) ** M(p) for x in d) ** (1 / M(p))


def mp_triplet(a, pos, neg, margin, p, eps, swap):
    d_pos, d_neg = mp_pnorm(a, pos, p, eps), mp_pnorm(a, neg, p, eps)
    if swap:
        d_neg = min(d_neg, mp_pnorm(pos, neg, p, eps))
    return max(M(0), d_pos - d_neg + M(margin)), d_pos + d_neg + abs(M(margin))


@pytest.mark.parametrize("p, swap, eps, margin", [
    (2.0, False, 0.0, 1.0), (1.0, False, 0.0, 1.0), (2.0, True, 0.0, 1.0), (1.0, True, 0.0, 0.5),
    (3.0, False, 0.0, 2.0), (1.5, True, 0.0, 1.0), (2.0, False, 1e-6, 1.0), (2.0, False, 0.0, 0.0)])
def test_triplet_margin_values(p, swap, eps, margin):
    # condition scale d(a, p) + d(a, n) + |margin|: the loss is a difference of the two distances
    a, pos, neg = rng0.normal(size=(3, 22, 4))
    pos[0] = a[0]  # d(a, p) = 0
    neg[1] = a[1]  # d(a, n) = 0
    pos[2], neg[2] = a[2] + [0.75, 1.0, 0, 0], a[2] + [1.5, 2.0, 0, 0]  # p = 2, margin 1.25: the hinge met
    neg[3] = pos[3]  # swap: d(p, n) = 0
    a[4], pos[4], neg[4] = a[4] * 1e8, pos[4] * 1e8, neg[4] * 1e8
    a[5], pos[5], neg[5] = a[5] * 1e-9, pos[5] * 1e-9, neg[5] * 1e-9
    a[6], pos[6], neg[6] = a[6] * 1e-200, pos[6] * 1e-200, neg[6] * 1e-200
    a[7], pos[7], neg[7] = a[7] * 1e200, pos[7] * 1e200, neg[7] * 1e200
    pos[8] = a[8] + 1e-9 * pos[8]  # tiny distance next to a normal one
    v = unreduced("triplet_margin", a, pos, neg, margin=margin, p=p, eps=eps, swap=swap)
    exact, scale = zip(*each(lambda u, w, z: mp_triplet(u, w, z, margin, p, eps, swap), a, pos, neg), strict=True)
    check_value("triplet_margin", v, exact, np.array([float(s) for s in scale]))


@pytest.mark.parametrize("p, swap", [(2.0, False), (1.0, False), (3.0, True), (2.0, True)])
def test_triplet_margin_grads(p, swap):
    # its own generator: draws from the shared one depend on which tests ran before (xdist reorders them)
    a, pos, neg = np.random.default_rng([int(10 * p), swap]).normal(size=(3, 4, 3))
    pos = a + 0.5 * pos  # loss active on most rows
    check_grads("triplet_margin", [a, pos, neg], {"p": p, "swap": swap, "margin": 1.0})


@pytest.mark.parametrize("swap", [False, True])
def test_triplet_margin_cosine_distance(swap):
    """distance="cosine": d(u, v) = 1 - cos(u, v) in mpmath, values and (check_grads) finite differences."""
    a, pos, neg = np.random.default_rng([3, swap]).normal(size=(3, 6, 4))
    pos = a + 0.5 * pos
    neg[5] = 1e-150 * neg[5]  # a tiny negative: cos is scale-free
    v = unreduced("triplet_margin", a, pos, neg, margin=0.2, distance="cosine", swap=swap)

    def d(u, w):
        u, w = [M(x) for x in u], [M(x) for x in w]
        return 1 - mp.fsum(x * y for x, y in zip(u, w, strict=True)) / mp.sqrt(
            mp.fsum(x * x for x in u) * mp.fsum(y * y for y in w))

    def exact(u, w, z):
        d_neg = min(d(u, z), d(w, z)) if swap else d(u, z)
        return max(M(0), d(u, w) - d_neg + M("0.2")), d(u, w) + d_neg + M("0.2") + 2

    values, scale = zip(*each(exact, a, pos, neg), strict=True)
    check_value("triplet_margin", v, values, np.array([float(s) for s in scale]))
    check_grads("triplet_margin", [a, pos, neg], {"distance": "cosine", "margin": 0.2, "swap": swap})


def test_triplet_margin_kinks():
    z = np.zeros((1, 2))
    # d(a, p) - d(a, n) + margin = 0: p = 2 with 1.25 - 2.5 + 1.25, p = 1 with 1.5 - 2.5 + 1
    check_kinks("triplet_margin", [z, np.array([[0.75, 1.0]]), np.array([[1.5, 2.0]])], {"margin": 1.25})
    check_kinks("triplet_margin", [z, np.array([[1.0, 0.5]]), np.array([[2.0, 0.5]])], {"p": 1.0})
    # swap with d(a, n) = d(p, n) = 1.25 (the loss is active: d(a, p) = sqrt(1.25))
    check_kinks("triplet_margin", [np.array([[0.75, 1.0]]), np.array([[1.25, 0.0]]), z], {"swap": True})


def test_nan_rows_stay_nan():
    """A NaN in a row gives a NaN loss there (not the zero-vector limit, cos := 0 / distance := 0)."""
    x1, x2 = np.array([[np.nan, 1.0], [1.0, 2.0]]), np.array([[1.0, 1.0], [2.0, 1.0]])
    v = unreduced("cosine_embedding", x1, x2, np.array([-1.0, -1.0]))
    assert np.isnan(v[0]) and np.isfinite(v[1])
    v = unreduced("triplet_margin", x1, x2, np.zeros((2, 2)))
    assert np.isnan(v[0]) and np.isfinite(v[1])


# ---------------------------------------------------------------- center


def test_center_values():
    x = rng0.normal(size=(22, 4))
    centers = rng0.normal(size=(3, 4))
    t = rng0.integers(0, 3, size=22)
    x[0] = centers[t[0]]  # zero loss
    x[1] = centers[t[1]] + 1e-9
    x[2] = 1e8 * x[2]
    x[3] = centers[t[3]] * (1 + 2**-52)
    x[4] = 1e150 * x[4]
    v = unreduced("center", x, t, centers)
    exact = each(lambda u, k: mp.fsum((M(a) - M(b)) ** 2 for a, b in zip(u, centers[k], strict=True)) / 2, x, t)
    check_value("center", v, exact)


def test_center_grads():
    x, centers = rng0.normal(size=(5, 3)), rng0.normal(size=(2, 3))
    check_grads("center", [x, np.array([0, 1, 1, 0, 1]), centers])
    g = LOSSES["center"].grad(x, np.array([0, 1, 1, 0, 1]), centers, reduction="sum")
    assert np.allclose(g["centers"][0], -(x[0] - centers[0]) - (x[3] - centers[0]), rtol=1e-14, atol=0)


# ---------------------------------------------------------------- bad input

V3, Y3 = np.array([0.1, 0.5, -0.3]), np.array([1.0, -1.0, 1.0])
X23 = np.array([[0.1, 0.5, -0.3], [1.0, 2.0, 0.5]])
BAD = [
    ("margin_ranking", [V3, V3[:2], Y3], {}, "x2"),
    ("margin_ranking", [V3, V3, np.array([1.0, 0.0, -1.0])], {}, "y"),
    ("margin_ranking", [np.array([1, 2, 3]), V3, Y3], {}, "x1"),
    ("multilabel_margin", [X23, np.array([[0, 3, -1], [1, -1, 0]])], {}, "target"),  # class 3 of 3
    ("multilabel_margin", [X23, np.array([[0, -2, -1], [1, -1, 0]])], {}, "target"),
    ("multilabel_margin", [X23, np.array([[0, 0, -1], [1, -1, 0]])], {}, "target"),  # listed twice
    ("multilabel_margin", [X23, np.array([[0.0, -1, -1], [1, -1, 0]])], {}, "target"),
    ("multilabel_margin", [X23, np.array([[0, -1], [1, -1]])], {}, "target"),
    ("multilabel_margin", [V3, np.array([0, -1, 1])], {}, "input"),
    ("multilabel_margin", [np.array([[1, 2], [3, 4]]), np.array([[0, -1], [1, -1]])], {}, "input"),
    ("hinge_embedding", [V3, np.array([1.0, 0.0, -1.0])], {}, "target"),
    ("hinge_embedding", [V3, Y3[:2]], {}, "target"),
    ("hinge_embedding", [np.array([1, 2, 3]), Y3], {}, "input"),
    ("cosine_embedding", [X23, X23, np.array([1.0, 0.0])], {}, "y"),
    ("cosine_embedding", [X23, X23[:, :2], np.array([1.0, -1.0])], {}, "x2"),
    ("cosine_embedding", [X23, X23, np.array([1.0])], {}, "y"),
    ("cosine_embedding", [X23, X23, np.array([1.0, -1.0])], {"eps": -1e-12}, "eps"),
    ("cosine_embedding", [V3, V3, np.array([1.0])], {}, "x1"),
    ("cosine_embedding", [X23, np.ones((2, 3), dtype=int), np.array([1.0, -1.0])], {}, "x2"),
    ("triplet_margin", [X23, X23, X23[:1]], {}, "negative"),
    ("triplet_margin", [X23, X23, X23], {"p": 0.0}, "p"),
    ("triplet_margin", [X23.astype(int), X23, X23], {}, "anchor"),
    ("triplet_margin", [V3, V3, V3], {}, "anchor"),
    ("center", [X23, np.array([0, 2]), X23], {}, "target"),
    ("center", [X23, np.array([0, 1]), X23[:, :2]], {}, "centers"),
    ("center", [X23, np.array([0.0, 1.0]), X23], {}, "target"),
    ("center", [X23, np.array([0, 1, 1]), X23], {}, "target"),
    ("center", [X23, np.array([0, 1]), np.ones((2, 3), dtype=int)], {}, "centers"),
]


@pytest.mark.parametrize("name, arrays, params, argument", BAD, ids=[f"{b[0]}-{i}" for i, b in enumerate(BAD)])
def test_bad_input_raises(name, arrays, params, argument):
    with pytest.raises(ValueError, match=argument):
        LOSSES[name](*arrays, **params)


# ---------------------------------------------------------------- ntxent, circle (over a batch with labels).
# Scale: ntxent |exact| + the sum over its terms' sensitivity to the cosines, |s_ik| |d v / d s_ik|, each s_ik
# rounded at relative u (cos / temperature); circle likewise, its exponents gamma a (s - D) rounded.

rng_c = np.random.default_rng(2020)


def mp_cosines(x, eps=0.0):
    rows = [[M(float(v)) for v in r] for r in x]
    norm = [mp.sqrt(max(mp.fsum(v * v for v in r), M(eps))) for r in rows]
    return [[mp.fsum(a * b for a, b in zip(r, q)) / (norm[i] * norm[j]) for j, q in enumerate(rows)]
            for i, r in enumerate(rows)]


def ntxent_oracle(x, labels, temperature=0.07, eps=0.0):
    """-log(e^{s_ij} / (e^{s_ij} + sum_{l_k != l_i} e^{s_ik})) per positive pair, and its condition scale."""
    cos, n = mp_cosines(x, eps), len(x)
    s = [[c / M(temperature) for c in row] for row in cos]
    vals, scale = [], []
    for i in range(n):
        for j in range(n):
            if i == j or labels[i] != labels[j]:
                continue
            ratios = [mp.exp(s[i][k] - s[i][j]) for k in range(n) if labels[k] != labels[i]]
            rest = mp.fsum(ratios)
            vals.append(mp.log1p(rest))  # -log(1 / (1 + rest)): log1p keeps a loss near 1e-50
            # d v / d s_ij = -rest / (1 + rest), d v / d s_ik = ratio_k / (1 + rest)
            sens = (abs(s[i][j]) * rest + mp.fsum(abs(s[i][k]) * r for k, r in zip(
                [k for k in range(n) if labels[k] != labels[i]], ratios))) / (1 + rest)
            scale.append(float(abs(vals[-1]) + sens))
    return vals, np.array(scale)


NTX = np.concatenate([[[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [-1.0, 0.0, 0.0], [0.0, 1e-200, 0.0], [1e200, 1e200, 0.0],
                       [0.5, 0.5, 0.5]], rng_c.normal(size=(6, 3))])
NTX_L = np.array([0, 0, 1, 1, 2, 2, 0, 1, 2, 3, 0, 3])


@pytest.mark.parametrize("params", [{}, {"temperature": 1.0}, {"temperature": 0.5, "eps": 2.0**-52},
                                    {"temperature": 0.01}])
def test_ntxent_values(params):
    vals, scale = ntxent_oracle(NTX, NTX_L, **params)
    got = unreduced("ntxent", NTX, NTX_L, **params)
    assert len(vals) >= 20 and got.shape == (len(vals),)
    check_value("ntxent", got, vals, scale)
    total = mp.fsum(vals)
    check_value("ntxent", [LOSSES["ntxent"](NTX, NTX_L, **params)], [total / len(vals)],
                [float(np.sum(scale)) / len(vals)])


def test_ntxent_edges():
    x = rng_c.normal(size=(4, 3))
    assert np.isnan(LOSSES["ntxent"](x, np.arange(4)))  # no positive pair: the mean of nothing
    assert unreduced("ntxent", x, np.arange(4)).shape == (0,)
    same = unreduced("ntxent", x, np.zeros(4, dtype=int))  # no negatives: each pair is its own softmax, loss 0
    assert same.shape == (12,) and np.all(same == 0.0)
    z = x.copy()
    z[0] = 0.0
    assert np.isnan(unreduced("ntxent", z, np.array([0, 0, 1, 1]))[0])  # 0 / 0 cosine with eps = 0
    assert np.all(np.isfinite(unreduced("ntxent", z, np.array([0, 0, 1, 1]), eps=1e-12)))


@pytest.mark.parametrize("params", [{}, {"temperature": 1.0, "eps": 1e-12}])
def test_ntxent_grads(params):
    check_grads("ntxent", [rng_c.normal(size=(6, 4)), np.array([0, 0, 1, 1, 2, 0])], params)


def circle_oracle(x, labels, gamma=80.0, margin=0.4, remove_diagonal=True, normalize=True):
    rows = [[M(float(v)) for v in r] for r in x]
    if normalize:
        s = mp_cosines(x)
    else:
        s = [[min(mp.fsum(a * b for a, b in zip(r, q)), M(1)) for q in rows] for r in rows]
    g, m = M(gamma), M(margin)
    vals, scale = [], []
    for i in range(len(x)):
        pos = [-g * max(1 + m - s[i][j], 0) * (s[i][j] - (1 - m)) for j in range(len(x))
               if labels[j] == labels[i] and (j != i or not remove_diagonal)]
        neg = [g * max(s[i][j] + m, 0) * (s[i][j] - m) for j in range(len(x)) if labels[j] != labels[i]]
        if not pos or not neg:
            vals.append(M(0))
            scale.append(0.0)
            continue
        z = mp.log(mp.fsum(mp.exp(a) for a in pos)) + mp.log(mp.fsum(mp.exp(a) for a in neg))
        vals.append(mp.log1p(mp.exp(z)))
        # the exponents carry errors of a few u |gamma a s|: sigmoid(z) times the softmax-weighted sizes
        sens = 1 / (1 + mp.exp(-z)) * 3 * g * max(max(abs(a) for a in s[i]), 1)
        scale.append(float(abs(vals[-1]) + sens))
    return vals, np.array(scale)


CIRC = np.concatenate([[[1.0, 0.0], [1.0, 0.0], [0.0, 1.0], [0.6, 0.8], [-1.0, 0.0], [0.8, -0.6]],
                       rng_c.normal(size=(16, 2))])
CIRC_L = np.concatenate([[0, 0, 1, 1, 2, 0], rng_c.integers(0, 4, size=16)])


@pytest.mark.parametrize("params", [{}, {"gamma": 1.0, "margin": 0.25}, {"remove_diagonal": False},
                                    {"gamma": 256.0, "margin": 0.1}])
def test_circle_values(params):
    vals, scale = circle_oracle(CIRC, CIRC_L, **params)
    check_value("circle", unreduced("circle", CIRC, CIRC_L, **params), vals, scale)
    unit = CIRC / np.linalg.norm(CIRC, axis=1, keepdims=True)
    vals, scale = circle_oracle(unit, CIRC_L, normalize=False, **params)
    check_value("circle", unreduced("circle", unit, CIRC_L, normalize=False, **params), vals, scale)


def test_circle_edges_and_positive_mean():
    x = rng_c.normal(size=(5, 3))
    assert np.all(unreduced("circle", x, np.arange(5)) == 0.0)  # no positives: logsumexp of nothing, loss 0
    assert np.all(unreduced("circle", x, np.zeros(5, dtype=int)) == 0.0)  # no negatives
    y = np.array([0, 0, 1, 2, 3])  # anchors 2, 3, 4 have no positive: loss 0
    v = unreduced("circle", x, y)
    assert np.all(v[2:] == 0) and np.all(v[:2] > 0)
    assert LOSSES["circle"](x, y, mean_over_positive=True) == pytest.approx(v[:2].mean(), rel=1e-15)
    assert LOSSES["circle"](x, y) == pytest.approx(v.mean(), rel=1e-15)


@pytest.mark.parametrize("params", [{"gamma": 2.0}, {"gamma": 4.0, "margin": 0.25, "remove_diagonal": False},
                                    {"gamma": 2.0, "normalize": False}])
def test_circle_grads(params):
    x = rng_c.normal(size=(6, 3))
    x /= np.linalg.norm(x, axis=1, keepdims=True) * 1.01  # inside the unit ball: min(<x_i, x_j>, 1) is smooth
    check_grads("circle", [x, np.array([0, 0, 1, 1, 2, 0])], params)


def test_ntxent_circle_bad_input():
    x = rng_c.normal(size=(4, 3))
    for name in ("ntxent", "circle"):
        for arrays, argument in [((x, np.arange(3)), "labels"), ((x, np.arange(4.0)), "labels"),
                                 ((x[0], np.arange(1)), "embeddings")]:
            with pytest.raises(ValueError, match=argument):
                LOSSES[name](*arrays)
    with pytest.raises(ValueError, match="temperature"):
        LOSSES["ntxent"](x, np.arange(4), temperature=0.0)
    with pytest.raises(ValueError, match="gamma"):
        LOSSES["circle"](x, np.arange(4), gamma=-1.0)
