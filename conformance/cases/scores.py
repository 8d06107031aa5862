"""Cases for zero_one, log_loss, hinge, modified_huber, exponential, brier_score, label_ranking.

Canonical encodings (the adapters map them to each API's): targets are int64 arrays;
class indices 0..C-1, {0, 1} for binary probabilities and label indicators, {-1, 1} for
binary margins (sklearn's hinge_loss takes any two labels, Keras Hinge maps {0, 1} to {-1, 1}).
Edge values are exact in float16, so quantizing to a framework dtype keeps them on the edge.
"""

import numpy as np

from ._core import Case, cases

I = np.int64  # noqa: E741


def labels(*v):
    return np.array(v, dtype=I)


def pm1(rng, n):
    return rng.choice(np.array([-1, 1], dtype=I), size=n)


@cases("zero_one")
def _zero_one(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("zero_one", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    y = rng.integers(0, 4, size=16)
    pred = np.where(rng.random(16) < 0.7, y, (y + 1) % 4)
    yield case("labels_batch1", labels(2), labels(1))
    yield case("labels_16", pred.astype(I), y.astype(I))
    yield case("scores_8x4", rng.normal(size=(8, 4)), rng.integers(0, 4, size=8).astype(I))
    yield case("argmax_ties", np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [0.5, 0.5, 0.5]]), labels(1, 2, 0),
               ("edge",), "ties in argmax: the reference predicts the first max (loss 1, 1, 0)")
    yield case("scores_inf", np.array([[np.inf, 1.0, 0.0], [-np.inf, -np.inf, 0.0]]), labels(0, 1), ("nonfinite",))
    yield case("scores_nan", np.array([[0.0, np.nan, 1.0], [1.0, 0.0, 0.0]]), labels(2, 0), ("nonfinite",),
               "a row with a NaN has no prediction: loss NaN")
    yield case("class_out_of_range", rng.normal(size=(2, 3)), labels(0, 3), ("bad_input",),
               error=("target", r"class indices must lie in"))
    yield case("shape_mismatch", labels(1, 2, 3), labels(1, 2), ("bad_input",), error=("target", r"shape mismatch"))


@cases("log_loss")
def _log_loss(rng):
    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("log_loss", id, {"input": input, "target": target}, params or {}, set(tags), note, error)

    yield case("binary_batch1", np.array([0.3]), labels(1))
    yield case("binary_16", rng.uniform(0.02, 0.98, 16), rng.integers(0, 2, 16).astype(I))
    yield case("multiclass_8x5", rng.dirichlet(np.ones(5), size=8), rng.integers(0, 5, 8).astype(I))
    p = np.array([0.0, 1.0, 1e-12, 1 - 2.0**-40, 0.0, 1.0, 1e-12, 1 - 2.0**-40])
    yield case("binary_saturated", p, labels(0, 1, 0, 1, 1, 0, 1, 0), tags=("saturation",),
               note="p = 0 and 1 (loss 0 or inf), 1e-12, 1 - 2**-40")
    yield case("binary_saturated_clip_f64_eps", p, labels(0, 1, 0, 1, 1, 0, 1, 0), {"clip_eps": 2.0**-52},
               ("saturation", "reference_only"), "sklearn 1.9.1 clips to [eps, 1 - eps], eps = finfo(float64).eps; "
               "reference_only: a convention of sklearn's binding, whose cells check it")
    yield case("multiclass_saturated", np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1e-12, 1 - 1e-12, 0.0]]),
               labels(0, 0, 0), tags=("saturation",))
    yield case("multiclass_clip_1e-7", np.array([[1.0, 0.0, 0.0], [0.2, 0.3, 0.5]]), labels(1, 2), {"clip_eps": 1e-7},
               ("saturation", "reference_only"), "Keras' backend epsilon; reference_only: a convention of Keras' "
               "binding, whose cells check it")
    yield case("rows_not_summing_to_1", np.array([[0.5, 0.3, 0.4], [0.1, 0.1, 0.1]]), labels(0, 2), tags=("edge",),
               note="not renormalized (sklearn 1.9.1 warns and does not renormalize either)")
    yield case("tiny_probabilities", np.array([1e-300, 1e-30, 1e-9]), labels(1, 1, 1), tags=("extreme",))
    yield case("nan_probability", np.array([0.5, np.nan]), labels(1, 0), tags=("nonfinite",))
    yield case("probability_above_1", np.array([0.5, 1.5]), labels(1, 0), tags=("bad_input",),
               error=("input", r"probabilities must lie in"))
    yield case("label_not_0_1", np.array([0.5, 0.5]), labels(1, 2), tags=("bad_input",),
               error=("target", r"expected values in \[0, 1\]"))


@cases("hinge")
def _hinge(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("hinge", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("binary_batch1", np.array([0.4]), labels(1))
    yield case("binary_16", 2 * rng.normal(size=16), pm1(rng, 16))
    yield case("binary_all_positive", np.array([0.4, -0.5, 2.0]), labels(1, 1, 1), ("edge",),
               "one class in the batch: the targets alone must not decide which label is positive")
    yield case("multiclass_8x4", 2 * rng.normal(size=(8, 4)), rng.integers(0, 4, 8).astype(I))
    yield case("binary_margin_met", np.array([1.0, -1.0, 0.5, -2.0]), labels(1, -1, 1, -1), ("kink",),
               "y f = 1 on the first two")
    yield case("multiclass_margin_met", np.array([[2.0, 1.0, 0.5], [0.0, -1.0, -3.0]]), labels(0, 0), ("kink",),
               "f_y - max_{c != y} f_c = 1")
    yield case("multiclass_rival_ties", np.array([[2.0, 0.5, 0.5], [-1.0, -1.0, -1.0], [0.0, 0.0, 3.0]]),
               labels(0, 2, 1), ("kink",), "ties among the rivals (and all scores equal)")
    yield case("multiclass_negative_rivals", np.array([[0.5, -2.0, -3.0], [-1.0, -0.5, -4.0]]), labels(0, 1),
               note="all rivals < 0: Crammer-Singer max(0, 1 + max f_c - f_y); Keras CategoricalHinge takes max(0, .)")
    yield case("extreme", np.array([1e8, -1e8, 1e-9, -1e-9, 1e30]), labels(1, 1, -1, 1, -1), ("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan, 0.5]), labels(1, 1, -1, 1), ("nonfinite",))
    yield case("labels_0_1", np.array([0.3, -0.2]), labels(0, 1), ("bad_input",),
               "the canonical binary labels are {-1, 1}; adapters map {0, 1}",
               error=("target", r"expected values in \[-1, 1\]"))
    yield case("class_out_of_range", rng.normal(size=(2, 3)), labels(0, 3), ("bad_input",),
               error=("target", r"class indices must lie in"))


@cases("modified_huber")
def _modified_huber(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("modified_huber", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("batch1", np.array([0.25]), labels(-1))
    yield case("interior_4x5", 2 * rng.normal(size=(4, 5)), pm1(rng, (4, 5)))
    yield case("branch_points", np.array([1.0, -1.0, 1.0, -1.0]), labels(1, 1, -1, -1), ("edge",),
               "y f = 1 and y f = -1: where the branches meet (C1, no kink)")
    yield case("extreme", np.array([1e8, -1e8, 1e-9, -1e-9]), labels(1, 1, -1, 1), ("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan]), labels(1, 1, -1), ("nonfinite",))
    yield case("labels_0_1", np.array([0.3, -0.2]), labels(0, 1), ("bad_input",),
               error=("target", r"expected values in \[-1, 1\]"))


@cases("exponential")
def _exponential(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("exponential", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("batch1", np.array([0.7]), labels(1))
    yield case("interior_4x5", 2 * rng.normal(size=(4, 5)), pm1(rng, (4, 5)))
    yield case("overflow_underflow", np.array([800.0, 800.0, 80.0, -80.0]), labels(-1, 1, -1, -1), ("extreme",),
               "exp(800) = inf, exp(-800) = 0; in float32 exp(80) already overflows")
    yield case("tiny", np.array([1e-9, -1e-9, 0.0]), labels(1, 1, -1), ("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan]), labels(1, 1, -1), ("nonfinite",))
    yield case("labels_0_1", np.array([0.3, -0.2]), labels(0, 1), ("bad_input",),
               error=("target", r"expected values in \[-1, 1\]"))


@cases("brier_score")
def _brier_score(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("brier_score", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("binary_batch1", np.array([0.8]), labels(1))
    yield case("binary_16", rng.uniform(size=16), rng.integers(0, 2, 16).astype(I))
    yield case("multiclass_8x4", rng.dirichlet(np.ones(4), size=8), rng.integers(0, 4, 8).astype(I),
               note="sum over classes, not halved (sklearn: scale_by_half=False; its 'auto' halves C = 2)")
    yield case("multiclass_2_columns", rng.dirichlet(np.ones(2), size=4), labels(0, 1, 1, 0), ("edge",),
               "C = 2 columns: sum over both (sklearn's default scale_by_half='auto' halves this one)")
    yield case("saturated", np.array([0.0, 1.0, 0.0, 1.0, 1e-12]), labels(0, 1, 1, 0, 0), ("saturation",))
    yield case("tiny", np.array([1e-300, 1e-300, 1 - 2.0**-40]), labels(0, 1, 1), ("extreme",))
    yield case("nan_probability", np.array([0.5, np.nan]), labels(1, 0), ("nonfinite",))
    yield case("probability_above_1", np.array([0.5, 1.25]), labels(1, 0), ("bad_input",),
               error=("input", r"probabilities must lie in"))
    yield case("class_out_of_range", rng.dirichlet(np.ones(3), size=2), labels(0, 3), ("bad_input",),
               error=("target", r"class indices must lie in"))


@cases("label_ranking")
def _label_ranking(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("label_ranking", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    t = rng.integers(0, 2, size=(8, 5)).astype(I)
    t[:, 0], t[:, 1] = 1, 0  # every row has a relevant and an irrelevant label
    yield case("batch1", np.array([[0.2, 0.9, 0.4]]), labels(1, 0, 1)[None, :])
    yield case("interior_8x5", rng.normal(size=(8, 5)), t)
    yield case("score_ties", rng.integers(0, 2, size=(6, 4)).astype(float), np.tile(labels(1, 0, 1, 0), (6, 1)),
               ("edge",), "tied scores count as wrongly ordered pairs")
    yield case("all_or_none_relevant", np.array([[0.1, 0.5, 0.2], [0.3, 0.2, 0.1]]), labels(1, 1, 1, 0, 0, 0)
               .reshape(2, 3), ("edge",), "no pair to order: loss 0")
    yield case("extreme", np.array([[1e8, 1e-9, -1e8, 1e-9 * (1 + 2**-10)]]), labels(0, 1, 1, 0)[None, :],
               ("extreme",))
    yield case("nonfinite", np.array([[np.inf, 0.0, -np.inf], [np.nan, 1.0, 0.0]]), labels(0, 1, 1, 1, 0, 0)
               .reshape(2, 3), ("nonfinite",), "inf orders like a number; a NaN row has loss NaN")
    yield case("indicator_not_0_1", np.array([[0.1, 0.5]]), labels(2, 0)[None, :], ("bad_input",),
               error=("target", r"expected values in \[0, 1\]"))
    yield case("shape_mismatch", np.array([[0.1, 0.5, 0.2]]), labels(1, 0)[None, :], ("bad_input",),
               error=("target", r"shape mismatch"))


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


@cases("squared_hinge")
def _squared_hinge(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("squared_hinge", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("batch1", np.array([0.4]), labels(1))
    yield case("binary_16", 2 * rng.normal(size=16), pm1(rng, 16))
    yield case("binary_4x3", 2 * rng.normal(size=(4, 3)), pm1(rng, 12).reshape(4, 3),
               note="Keras: the mean over the last axis, then over the batch")
    yield case("margin_met", np.array([1.0, -1.0, 0.5, -2.0]), labels(1, -1, 1, -1), ("branch",),
               "y f = 1 on the first two (C1 there: slope 0 from both sides)")
    yield case("extreme", np.array([1e8, -1e8, 1e-9, -1e-9, 1e18]), labels(1, 1, -1, 1, -1), ("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan, 0.5]), labels(1, 1, -1, 1), ("nonfinite",))
    yield case("empty", np.zeros(0), labels(), ("edge",))
    yield case("labels_0_1", np.array([0.3, -0.2]), labels(0, 1), ("bad_input",),
               "the canonical labels are {-1, 1}; adapters map Keras' {0, 1}",
               error=("target", r"expected values in \[-1, 1\]"))
    yield case("shape_mismatch", np.array([0.3, -0.2, 1.0]), labels(1, -1), ("bad_input",),
               error=("target", r"shape mismatch"))


@cases("multi_margin")
def _multi_margin(rng):
    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("multi_margin", id, {"input": input, "target": target}, params or {}, tags=set(tags), note=note,
                    error=error)

    f, y = 2 * rng.normal(size=(8, 4)), rng.integers(0, 4, 8).astype(I)
    w = np.array([0.5, 2.0, 1.0, 3.0])
    yield case("interior_8x4", f, y)
    yield case("batch1", np.array([[0.1, 0.2, 0.4, 0.8]]), labels(3), note="torch's docstring example: 0.325")
    yield case("p_2", f, y, {"p": 2})
    yield case("margin_0.5", f, y, {"margin": 0.5})
    yield case("margin_2_p_2", f, y, {"margin": 2.0, "p": 2})
    yield case("weight", f, y, {"weight": w})
    yield case("weight_p_2", f, y, {"weight": w, "p": 2}, note="the weight multiplies the square; it is not squared")
    kinked = np.array([[0.0, 1.0, 2.0], [1.0, 0.5, -0.5], [0.25, 1.25, 0.25]])
    yield case("hinge_points", kinked, labels(0, 1, 2), tags=("kink",), note="margin - f_y + f_i = 0")
    yield case("hinge_points_p_2", kinked, labels(0, 1, 2), {"p": 2}, tags=("branch",), note="C1 for p = 2")
    yield case("all_margins_met", np.array([[5.0, 0.0, 1.0], [-3.0, 0.0, -6.0]]), labels(0, 1), tags=("edge",),
               note="loss 0 and gradient 0")
    yield case("extreme", np.array([[1e8, -1e8, 0.0], [1e-9, 3e-9, -1e-9], [1e18, 0.0, 3e18]]), labels(0, 1, 2),
               tags=("extreme",), note="no margin term at 0 (a kink, in any order of rounding)")
    yield case("nonfinite", np.array([[np.inf, 0.0, 1.0], [0.5, np.nan, 1.0], [-np.inf, 0.0, 0.0]]),
               labels(0, 2, 1), tags=("nonfinite",), note="the finite margin terms are away from the kink")
    yield case("empty", np.zeros((0, 3)), labels(), tags=("edge",))
    yield case("class_out_of_range", f[:2], labels(0, 4), tags=("bad_input",),
               error=("target", r"class indices must lie in"))
    yield case("p_3", f, y, {"p": 3}, tags=("bad_input",), error=("p", r"expected 1 or 2"))
    yield case("weight_wrong_length", f, y, {"weight": w[:3]}, tags=("bad_input",), error=("weight", r"expected shape"))


@cases("perceptron")
def _perceptron(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("perceptron", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("batch1", np.array([-0.4]), labels(1))
    yield case("binary_16", 2 * rng.normal(size=16), pm1(rng, 16))
    yield case("binary_4x3", 2 * rng.normal(size=(4, 3)), pm1(rng, 12).reshape(4, 3))
    yield case("at_zero", np.array([0.0, 0.0, 1.0]), labels(1, -1, 1), ("kink",), "f = 0: slopes 0 and -y")
    yield case("extreme", np.array([1e8, -1e8, 1e-30, -1e30]), labels(-1, 1, -1, 1), ("extreme",))
    yield case("nonfinite", np.array([np.inf, -np.inf, np.nan, 0.5]), labels(1, 1, -1, 1), ("nonfinite",))
    yield case("empty", np.zeros(0), labels(), ("edge",))
    yield case("labels_0_1", np.array([0.3, -0.2]), labels(0, 1), ("bad_input",),
               error=("target", r"expected values in \[-1, 1\]"))
    yield case("shape_mismatch", np.array([0.3, -0.2, 1.0]), labels(1, -1), ("bad_input",),
               error=("target", r"shape mismatch"))


@cases("multiclass_perceptron")
def _multiclass_perceptron(rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("multiclass_perceptron", id, {"input": input, "target": target}, tags=set(tags), note=note,
                    error=error)

    yield case("interior_8x4", 2 * rng.normal(size=(8, 4)), rng.integers(0, 4, 8).astype(I))
    yield case("batch1", np.array([[0.1, 0.2, 0.4]]), labels(0))
    yield case("target_is_max", np.array([[3.0, 0.0, 1.0], [0.0, 2.0, -1.0]]), labels(0, 1), ("edge",), "loss 0")
    yield case("ties_in_max", np.array([[1.0, 1.0, 0.0], [0.0, 2.0, 2.0], [0.5, 0.5, 0.5]]), labels(0, 0, 2),
               ("kink",))
    yield case("extreme", np.array([[1e8, -1e8, 0.0], [1e-30, 3e-30, 0.0]]), labels(1, 0), ("extreme",))
    yield case("nonfinite", np.array([[np.inf, 0.0, 1.0], [0.0, np.nan, 1.0]]), labels(1, 0), ("nonfinite",))
    yield case("empty", np.zeros((0, 3)), labels(), ("edge",))
    yield case("class_out_of_range", rng.normal(size=(2, 3)), labels(0, 3), ("bad_input",),
               error=("target", r"class indices must lie in"))
    yield case("shape_mismatch", rng.normal(size=(2, 3)), labels(0, 1, 2), ("bad_input",),
               error=("target", r"expected shape"))


# ---------------------------------------------------------------- ranking depths (issue 11, batch NL1)


def _ranking_cases(loss, rng):
    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case(loss, id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    t = rng.integers(0, 2, size=(8, 5)).astype(I)
    t[0], t[1] = [1, 0, 0, 0, 0], [0, 1, 1, 0, 1]
    yield case("interior_8x5", rng.normal(size=(8, 5)), t)
    yield case("batch1", np.array([[0.75, 0.5, 1.0]]), labels(1, 0, 0).reshape(1, 3))
    yield case("ties", rng.integers(0, 3, size=(8, 4)).astype(np.float64), rng.integers(0, 2, size=(8, 4)).astype(I),
               ("edge",), "integer scores: many ties, every tied label ranked last (sklearn's 'max' rank)")
    yield case("no_or_all_relevant", rng.normal(size=(3, 4)), np.array([[0, 0, 0, 0], [1, 1, 1, 1], [0, 1, 0, 0]], I),
               ("edge",), "a row without relevant labels (coverage 0, lrap 1) and one with all of them (lrap 1)")
    yield case("one_label", rng.normal(size=(4, 1)), labels(1, 0, 1, 1).reshape(4, 1), ("edge",),
               "a single label column")
    yield case("extreme", np.array([[1e30, -1e30, 1e-30, 0.0], [1.0, 1.0 + 2**-23, 1.0 - 2**-24, 1e-38]]),
               np.array([[0, 1, 1, 0], [1, 0, 1, 1]], I), ("extreme",),
               "huge, tiny and adjacent float32 scores (their order survives the cast)")
    yield case("nonfinite", np.array([[np.inf, 0.0, -np.inf], [0.0, np.nan, 1.0]]), np.array([[1, 0, 1], [1, 0, 0]], I),
               ("nonfinite",), "infinite scores rank as any other; a NaN row has no ranking (NaN)")
    yield case("empty", np.zeros((0, 4)), np.zeros((0, 4), I), ("edge",))
    yield case("indicator_not_0_1", rng.normal(size=(2, 3)), np.array([[2, 0, 0], [0, 2, 0]], I), ("bad_input",),
               error=("target", r"expected values in \[0, 1\]"))
    yield case("shape_mismatch", rng.normal(size=(2, 3)), np.array([[1, 0], [0, 1]], I), ("bad_input",),
               error=("target", r"shape mismatch"))


@cases("coverage_error")
def _coverage_error(rng):
    yield from _ranking_cases("coverage_error", rng)


@cases("lrap")
def _lrap(rng):
    yield from _ranking_cases("lrap", rng)
