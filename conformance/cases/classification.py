"""Cases for cross_entropy, nll, binary_cross_entropy, binary_cross_entropy_with_logits, kl_div,
multilabel_soft_margin, soft_margin, sigmoid_focal, dice."""

import numpy as np

from ._core import Case, cases, shape_broadcasts

SATURATED_P = np.array([0.0, 1.0, 1e-12, 1.0 - 1e-7, 0.0, 1.0, 0.5, 1e-300])
SATURATED_Y = np.array([0.0, 1.0, 1.0, 0.0, 1.0, 0.0, 0.5, 0.0])
BIG_LOGITS = np.array([1e4, -1e4, 1e4, -1e4, 1e3, -1e3, 0.0, 40.0])
BIG_LOGIT_Y = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0])
EXTREME_LOGITS = np.array([1e-30, -1e-30, 1e-38, 1e30, -1e30, 3e38])  # representable in float32
NAN_INF_LOGITS = np.array([np.nan, np.inf, -np.inf, 0.5])


def _labels(rng, n, c, *rest):
    return rng.integers(0, c, size=(n,) + rest).astype(np.int64)


def _probs(rng, shape, axis=1):
    e = np.exp(2 * rng.normal(size=shape))
    return e / e.sum(axis=axis, keepdims=True)


def _log_softmax(x, axis=1):
    z = x - x.max(axis=axis, keepdims=True)
    return z - np.log(np.exp(z).sum(axis=axis, keepdims=True))


def _index_target_cases(loss, rng, logits):
    """What cross_entropy and nll share: index targets, weights, ignore_index, empty batches."""
    f = logits if loss == "cross_entropy" else _log_softmax
    x = rng.normal(size=(8, 5)) * 2
    y = _labels(rng, 8, 5)
    yield Case(loss, "interior_8x5", {"input": f(x), "target": y})
    yield Case(loss, "interior_batch1", {"input": f(rng.normal(size=(1, 5))), "target": np.array([3])})
    xk, yk = rng.normal(size=(4, 3, 2, 2)), _labels(rng, 4, 3, 2, 2)
    yk[0, 0, 1] = yk[2, 1, 1] = -100
    yield Case(loss, "kdim_4x3x2x2_ignored", {"input": f(xk), "target": yk}, note="two positions at -100")
    w = np.array([0.5, 0.0, 2.0, 1.0, 3.0])
    yield Case(loss, "weight_with_zero", {"input": f(x), "target": y}, {"weight": w})
    y2 = y.copy()
    y2[:3] = 2
    yield Case(loss, "ignore_valid_class_weight", {"input": f(x), "target": y2}, {"ignore_index": 2, "weight": w},
               tags={"edge"}, note="ignore_index is a real class; weight normalisation skips it")
    y4 = y.copy()
    y4[[2, 6]] = 1
    yield Case(loss, "ignore_index_1", {"input": f(x), "target": y4}, {"ignore_index": 1},
               note="class 1 ignored alone (the Keras and tf.nn bindings take ignore_index without weight)")
    yield Case(loss, "all_ignored", {"input": f(x[:3]), "target": np.full(3, -100, dtype=np.int64)},
               tags={"edge"}, note="mean = 0 / 0 = NaN")
    yield Case(loss, "empty", {"input": np.zeros((0, 5)), "target": np.zeros(0, dtype=np.int64)}, tags={"edge"})
    bad = y.copy()
    bad[[0, 5]] = 5
    yield Case(loss, "class_out_of_range", {"input": f(x), "target": bad}, tags={"bad_input"},
               error=("target", r"class indices must lie in"), note="class C of C")


@cases("cross_entropy")
def _cross_entropy(rng):
    yield from _index_target_cases("cross_entropy", rng, lambda x: x)
    x = rng.normal(size=(8, 5)) * 2
    y = _labels(rng, 8, 5)
    y1 = y.copy()
    y1[[1, 4]] = -1
    yield Case("cross_entropy", "ignore_minus1_label_smoothing", {"input": x, "target": y1},
               {"ignore_index": -1, "label_smoothing": 0.1})
    y3 = y.copy()
    y3[5] = -100
    yield Case("cross_entropy", "label_smoothing_weight", {"input": x, "target": y3},
               {"label_smoothing": 0.2, "weight": np.array([1.0, 2.0, 0.5, 0.0, 1.5])},
               note="torch normalises the smoothing term by the target weights too")
    yield Case("cross_entropy", "prob_targets_label_smoothing", {"input": x, "target": _probs(rng, (8, 5))},
               {"label_smoothing": 0.1})
    yield Case("cross_entropy", "prob_targets_weight_kdim",
               {"input": rng.normal(size=(2, 3, 4)), "target": _probs(rng, (2, 3, 4))},
               {"weight": np.array([1.0, 0.0, 2.5])})
    xs = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [1e4, 1e4, -1e4], [30.0, 0.0, 0.0]])
    yield Case("cross_entropy", "saturation_logits_1e4", {"input": xs, "target": np.array([0, 0, 1, 0])},
               tags={"saturation"})
    yield Case("cross_entropy", "clip_eps_1e-7", {"input": xs, "target": np.array([0, 0, 1, 0])},
               {"clip_eps": 1e-7}, tags={"saturation", "reference_only"},
               note="Keras CategoricalCrossentropy fed softmax(x); reference_only: clip_eps is a convention (no "
               "argument) of that binding, whose cells check it")
    yield Case("cross_entropy", "extreme", {"input": np.array([[1e-30, 2e-30, 0.0], [1e30, -1e30, 1e29]]),
                                            "target": np.array([1, 2])}, tags={"extreme"})
    yield Case("cross_entropy", "nonfinite", {"input": np.array([[np.nan, 0.0, 1.0], [np.inf, 0.0, 1.0],
                                                                 [-np.inf, 0.0, 1.0]]),
                                              "target": np.array([0, 0, 2])}, tags={"nonfinite"})
    yield Case("cross_entropy", "shape_mismatch", {"input": x, "target": _labels(rng, 7, 5)}, tags={"bad_input"},
               error=("target", r"expected shape"))
    yield Case("cross_entropy", "prob_target_outside_0_1", {"input": x, "target": 2 * _probs(rng, (8, 5)) - 0.1},
               tags={"bad_input"}, error=("target", r"probabilities must lie in"))


@cases("nll")
def _nll(rng):
    yield from _index_target_cases("nll", rng, None)
    inf = np.inf
    lp = np.array([[0.0, -inf, -inf], [-inf, 0.0, -inf], [np.log(0.5), np.log(0.5), -inf]])
    yield Case("nll", "log_prob_minus_inf", {"input": lp, "target": np.array([0, 0, 2])}, tags={"saturation"},
               note="log p = -inf at the target: loss +inf")
    yield Case("nll", "nonfinite", {"input": np.array([[np.nan, 0.0], [np.inf, -1.0]]), "target": np.array([0, 0])},
               tags={"nonfinite"})
    yield Case("nll", "float_target", {"input": _log_softmax(rng.normal(size=(3, 4))), "target": np.zeros(3)},
               tags={"bad_input"}, error=("target", r"expected an integer array"))


@cases("binary_cross_entropy")
def _binary_cross_entropy(rng):
    p = 1 / (1 + np.exp(-rng.normal(size=(8, 5))))
    y = (rng.random(size=(8, 5)) < 0.5).astype(np.float64)
    yield Case("binary_cross_entropy", "interior_8x5", {"input": p, "target": y})
    yield Case("binary_cross_entropy", "interior_batch1", {"input": p[:1], "target": y[:1]})
    yield Case("binary_cross_entropy", "soft_targets_3d",
               {"input": p.reshape(2, 4, 5), "target": rng.random((2, 4, 5))})
    yield Case("binary_cross_entropy", "weight", {"input": p, "target": y},
               {"weight": np.array([1.0, 0.0, 2.0, 0.5, 3.0])}, note="weight broadcasts over the last axis")
    yield Case("binary_cross_entropy", "label_smoothing", {"input": p, "target": y}, {"label_smoothing": 0.1})
    yield Case("binary_cross_entropy", "log_eps_1e-4", {"input": p, "target": y}, {"log_eps": 1e-4},
               note="paddle's F.log_loss default epsilon: log(p + 1e-4) and log(1 - p + 1e-4)")
    yield Case("binary_cross_entropy", "weight_label_smoothing_3d",
               {"input": p.reshape(2, 4, 5), "target": y.reshape(2, 4, 5)},
               {"weight": np.array([2.0, 0.5, 1.0, 0.0, 1.5]), "label_smoothing": 0.2})
    sat = {"input": SATURATED_P, "target": SATURATED_Y}
    yield Case("binary_cross_entropy", "saturation", sat, tags={"saturation"}, note="log 0 where y != 0: +inf")
    conv = {"saturation", "reference_only"}  # conventions (no argument) of bindings, whose cells check them
    yield Case("binary_cross_entropy", "saturation_log_min_-100", sat, {"log_min": -100.0}, tags=conv,
               note="torch clamps log at -100; reference_only: a convention of torch's binding")
    yield Case("binary_cross_entropy", "saturation_clip_1e-7", sat, {"clip_eps": 1e-7}, tags=conv,
               note="Keras 3 BinaryCrossentropy: clip p to [1e-7, 1 - 1e-7], then log; reference_only: a convention")
    yield Case("binary_cross_entropy", "saturation_clip_log_eps_1e-7", sat, {"clip_eps": 1e-7, "log_eps": 1e-7},
               tags=conv, note="tf.keras 2 (legacy): clip, then log(p + 1e-7); reference_only: no stack of today")
    tiny_p = {"input": np.array([1e-38, 1.0 - 2.0**-20, 1e-30, 1e-20]), "target": np.array([1.0, 0.0, 1.0, 0.5])}
    yield Case("binary_cross_entropy", "extreme_clip_log_eps_1e-7", tiny_p,
               {"clip_eps": 1e-7, "log_eps": 1e-7}, tags={"extreme", "reference_only"},
               note="tf.keras 2 (legacy) on tiny p; reference_only: no stack of today")
    yield Case("binary_cross_entropy", "extreme", {"input": np.array([1e-38, 1.0 - 2.0**-20, 1e-30, 1e-20]),
                                                   "target": np.array([1.0, 0.0, 1.0, 0.5])}, tags={"extreme"})
    yield Case("binary_cross_entropy", "nonfinite",
               {"input": np.array([np.nan, 0.5]), "target": np.array([1.0, np.nan])},
               tags={"nonfinite"})
    yield Case("binary_cross_entropy", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case("binary_cross_entropy", "input_outside_0_1", {"input": p + 0.6, "target": y}, tags={"bad_input"},
               error=("input", r"probabilities must lie in"))
    yield Case("binary_cross_entropy", "target_outside_0_1", {"input": p, "target": y - 0.2}, tags={"bad_input"},
               error=("target", r"probabilities must lie in"))
    yield Case("binary_cross_entropy", "shape_mismatch", {"input": p, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("binary_cross_entropy", {"input": p, "target": y})


@cases("binary_cross_entropy_with_logits")
def _bce_with_logits(rng):
    name = "binary_cross_entropy_with_logits"
    x = rng.normal(size=(8, 5)) * 2
    y = (rng.random(size=(8, 5)) < 0.5).astype(np.float64)
    yield Case(name, "interior_8x5", {"input": x, "target": y})
    yield Case(name, "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case(name, "soft_targets_3d", {"input": x.reshape(2, 4, 5), "target": rng.random((2, 4, 5))})
    yield Case(name, "weight", {"input": x, "target": y}, {"weight": np.array([1.0, 0.0, 2.0, 0.5, 3.0])})
    yield Case(name, "pos_weight", {"input": x, "target": y}, {"pos_weight": np.array([1.0, 3.0, 0.5, 0.0, 10.0])})
    yield Case(name, "pos_weight_weight_label_smoothing", {"input": x, "target": y},
               {"pos_weight": np.array([2.0, 3.0, 0.5, 1.0, 10.0]), "weight": rng.random((8, 5)),
                "label_smoothing": 0.2}, tags={"interior", "reference_only"},
               note="reference_only: no API takes pos_weight and label_smoothing together")
    yield Case(name, "label_smoothing", {"input": x, "target": y}, {"label_smoothing": 0.1})
    yield Case(name, "saturation_logits_1e4", {"input": BIG_LOGITS, "target": BIG_LOGIT_Y}, tags={"saturation"})
    yield Case(name, "extreme", {"input": EXTREME_LOGITS, "target": np.array([1.0, 0.0, 0.5, 1.0, 1.0, 0.0])},
               tags={"extreme"})
    yield Case(name, "nonfinite", {"input": NAN_INF_LOGITS, "target": np.array([1.0, 0.0, 1.0, np.nan])},
               tags={"nonfinite"})
    yield Case(name, "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case(name, "target_outside_0_1", {"input": x, "target": y + 0.5}, tags={"bad_input"},
               error=("target", r"probabilities must lie in"))
    yield Case(name, "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts(name, {"input": x, "target": y})


@cases("kl_div")
def _kl_div(rng):
    x = _log_softmax(rng.normal(size=(8, 5)) * 2)
    t = _probs(rng, (8, 5))
    yield Case("kl_div", "interior_8x5", {"input": x, "target": t})
    yield Case("kl_div", "interior_batch1", {"input": x[:1], "target": t[:1]})
    yield Case("kl_div", "log_target", {"input": x, "target": np.log(t)}, {"log_target": True})
    yield Case("kl_div", "log_target_batch1", {"input": x[:1], "target": np.log(t[1:2])}, {"log_target": True})
    t0 = t.copy()
    t0[:, 0] = 0.0
    t0[0] = [1.0, 0.0, 0.0, 0.0, 0.0]
    yield Case("kl_div", "target_zero", {"input": x, "target": t0}, tags={"edge"}, note="0 log 0 = 0")
    xc, tc = x.copy(), t0.copy()
    xc[1, 1:3] = -20.0  # exp(x) < 1e-7: clipped, so the gradient there is 0
    tc[0, :2] = [0.9, 0.1]  # t = 1 sits on the clip's bound, where stacks split the target's gradient differently
    yield Case("kl_div", "clip_eps_1e-7", {"input": xc, "target": tc}, {"clip_eps": 1e-7},
               tags={"interior", "reference_only"},
               note="Keras KLDivergence fed exp(input); reference_only: clip_eps is a convention of that binding")
    yield Case("kl_div", "saturation", {"input": np.array([[-1e4, 0.0], [0.0, -1e4], [-700.0, -1e-300]]),
                                        "target": np.array([[0.0, 1.0], [1e-300, 1.0 - 1e-16], [1e-300, 1.0]])},
               tags={"saturation"})
    yield Case("kl_div", "extreme", {"input": np.array([[-1e-30, -1e30], [-1e-38, -1e38]]),
                                     "target": np.array([[1e-30, 1.0], [1e-38, 0.5]])}, tags={"extreme"})
    yield Case("kl_div", "nonfinite",
               {"input": np.array([[np.nan, -np.inf, 0.0]]), "target": np.array([[0.5, 0.5, np.nan]])},
               tags={"nonfinite"})
    yield Case("kl_div", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case("kl_div", "target_outside_0_1", {"input": x, "target": t - 0.5}, tags={"bad_input"},
               error=("target", r"probabilities must lie in"))
    yield Case("kl_div", "shape_mismatch", {"input": x, "target": t[:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("kl_div", {"input": x, "target": t})


@cases("multilabel_soft_margin")
def _multilabel_soft_margin(rng):
    name = "multilabel_soft_margin"
    x = rng.normal(size=(8, 5)) * 2
    y = (rng.random(size=(8, 5)) < 0.5).astype(np.float64)
    yield Case(name, "interior_8x5", {"input": x, "target": y})
    yield Case(name, "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case(name, "weight_with_zero", {"input": x, "target": y}, {"weight": np.array([1.0, 0.0, 2.0, 0.5, 3.0])})
    yield Case(name, "soft_targets", {"input": x, "target": rng.random((8, 5))})
    yield Case(name, "weight_soft_targets", {"input": x, "target": rng.random((8, 5))},
               {"weight": np.array([0.5, 2.0, 1.0, 3.0, 0.25])})
    yield Case(name, "saturation_logits_1e4", {"input": BIG_LOGITS.reshape(2, 4), "target": BIG_LOGIT_Y.reshape(2, 4)},
               tags={"saturation"})
    yield Case(name, "extreme", {"input": EXTREME_LOGITS.reshape(2, 3), "target": np.array([[1.0, 0, 1], [0, 1, 0]])},
               tags={"extreme"})
    yield Case(name, "nonfinite", {"input": NAN_INF_LOGITS.reshape(1, 4), "target": np.array([[1.0, 0.0, 1.0, 0.0]])},
               tags={"nonfinite"})
    yield Case(name, "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case(name, "target_outside_0_1", {"input": x, "target": 2 * y - 1}, tags={"bad_input"},
               error=("target", r"probabilities must lie in"))
    yield Case(name, "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))


@cases("soft_margin")
def _soft_margin(rng):
    x = rng.normal(size=(8, 5)) * 2
    y = np.where(rng.random(size=(8, 5)) < 0.5, -1.0, 1.0)
    yield Case("soft_margin", "interior_8x5", {"input": x, "target": y})
    yield Case("soft_margin", "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case("soft_margin", "interior_3d", {"input": x.reshape(2, 4, 5), "target": y.reshape(2, 4, 5)})
    yield Case("soft_margin", "saturation_logits_1e4", {"input": BIG_LOGITS, "target": 2 * BIG_LOGIT_Y - 1},
               tags={"saturation"})
    yield Case("soft_margin", "extreme", {"input": EXTREME_LOGITS, "target": np.array([1.0, -1, 1, -1, 1, -1])},
               tags={"extreme"})
    yield Case("soft_margin", "nonfinite", {"input": NAN_INF_LOGITS, "target": np.array([1.0, -1.0, -1.0, 1.0])},
               tags={"nonfinite"})
    yield Case("soft_margin", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case("soft_margin", "target_zero_one", {"input": x, "target": (y + 1) / 2}, tags={"bad_input"},
               error=("target", r"expected values in \[-1, 1\]"),
               note="{0, 1} labels: the loss wants {-1, 1}")
    yield Case("soft_margin", "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("soft_margin", {"input": x, "target": y})


@cases("sigmoid_focal")
def _sigmoid_focal(rng):
    x = rng.normal(size=(8, 5)) * 2
    y = (rng.random(size=(8, 5)) < 0.5).astype(np.float64)
    yield Case("sigmoid_focal", "interior_8x5", {"input": x, "target": y})
    yield Case("sigmoid_focal", "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case("sigmoid_focal", "alpha_none", {"input": x, "target": y}, {"alpha": None},
               note="torchvision alpha < 0; Keras apply_class_balancing=False")
    yield Case("sigmoid_focal", "alpha_0.5_gamma_0", {"input": x, "target": y}, {"alpha": 0.5, "gamma": 0.0},
               note="gamma = 0 is alpha-weighted BCE with logits")
    yield Case("sigmoid_focal", "gamma_0.5_soft_targets", {"input": x, "target": rng.random((8, 5))}, {"gamma": 0.5})
    yield Case("sigmoid_focal", "saturation_logits_1e4", {"input": BIG_LOGITS, "target": BIG_LOGIT_Y},
               tags={"saturation"})
    yield Case("sigmoid_focal", "extreme", {"input": EXTREME_LOGITS, "target": np.array([1.0, 0, 1, 1, 0, 0])},
               tags={"extreme"})
    yield Case("sigmoid_focal", "nonfinite", {"input": NAN_INF_LOGITS, "target": np.array([1.0, 1.0, 0.0, 0.0])},
               tags={"nonfinite"})
    yield Case("sigmoid_focal", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case("sigmoid_focal", "target_outside_0_1", {"input": x, "target": 2 * y - 1}, tags={"bad_input"},
               error=("target", r"probabilities must lie in"))
    yield Case("sigmoid_focal", "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("sigmoid_focal", {"input": x, "target": y})


LOGITS = "dice from logits: optax's binary_dice_loss (apply_sigmoid=True); Keras Dice takes probabilities"


@cases("dice")
def _dice(rng):
    x = rng.normal(size=(8, 5)) * 2
    y = (rng.random(size=(8, 5)) < 0.5).astype(np.float64)
    p = 1 / (1 + np.exp(-x))
    logits = {"interior"}
    yield Case("dice", "interior_8x5", {"input": x, "target": y}, tags=logits, note=LOGITS)
    yield Case("dice", "smooth_0_5", {"input": x, "target": y}, {"smooth": 0.5}, tags={"interior"}, note=LOGITS)
    yield Case("dice", "interior_batch1", {"input": x[:1], "target": y[:1]}, tags=logits, note=LOGITS)
    yield Case("dice", "kdim_2x3x4x4", {"input": rng.normal(size=(2, 3, 4, 4)),
                                        "target": (rng.random((2, 3, 4, 4)) < 0.3).astype(np.float64)},
               tags=logits, note=LOGITS)
    yield Case("dice", "probabilities", {"input": p, "target": y}, {"from_logits": False})
    probs = {"from_logits": False}  # Keras Dice takes probabilities: the same edges, on p
    yield Case("dice", "probabilities_kdim_2x3x4x4", {"input": rng.random((2, 3, 4, 4)),
                                                      "target": (rng.random((2, 3, 4, 4)) < 0.3) * 1.0}, probs)
    yield Case("dice", "probabilities_saturated", {"input": SATURATED_P.reshape(2, 4),
                                                   "target": (SATURATED_Y.reshape(2, 4) > 0.5) * 1.0}, probs,
               tags={"saturation"}, note="p exactly 0 and 1")
    yield Case("dice", "probabilities_nonfinite", {"input": np.array([[np.nan, 0.5], [0.25, 0.5]]),
                                                   "target": np.array([[1.0, 0.0], [1.0, 1.0]])}, probs,
               tags={"nonfinite"})
    yield Case("dice", "probabilities_empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, probs,
               tags={"edge"})
    yield Case("dice", "probabilities_input_outside_0_1", {"input": p + 0.6, "target": y}, probs, tags={"bad_input"},
               error=("input", r"probabilities must lie in"))
    yield Case("dice", "probabilities_target_outside_0_1", {"input": p, "target": 2 * y - 1}, probs,
               tags={"bad_input"}, error=("target", r"probabilities must lie in"))
    yield Case("dice", "probabilities_smooth_0", {"input": p, "target": y}, {"smooth": 0.0, "from_logits": False},
               tags={"interior"}, note="Keras Dice's smooth = 0 (with axis=(1, ...)), and optax's binary_dice_loss "
               "smooth argument")
    onehot = {"smooth": 0.0, "from_logits": False}  # paddle's dice_loss: softmax outputs, one-hot (index) labels
    z = rng.normal(size=(4, 2, 3))
    soft = np.exp(z) / np.exp(z).sum(-1, keepdims=True)
    yield Case("dice", "probabilities_one_hot_smooth_0", {"input": soft[:, 0], "target": np.eye(3)[[0, 2, 1, 2]]},
               onehot, tags={"interior"}, note="class probabilities (N, C) and one-hot targets: paddle's dice_loss")
    yield Case("dice", "probabilities_one_hot_kdim", {"input": soft, "target": np.eye(3)[rng.integers(0, 3, (4, 2))]},
               onehot, note="class probabilities (N, d, C) and one-hot targets along the last axis")
    y0 = y.copy()
    y0[:2] = 0.0
    yield Case("dice", "empty_target_rows", {"input": x, "target": y0}, tags={"edge"}, note=LOGITS)
    p0 = p.copy()
    p0[0] = 0.0
    yield Case("dice", "probabilities_empty_target_rows", {"input": p0, "target": y0}, probs, tags={"edge"},
               note="p = t = 0 on row 0, t = 0 on row 1")
    yield Case("dice", "all_zero_keras", {"input": p0, "target": y0},
               {"smooth": 0.0, "eps": 1e-7, "from_logits": False},
               tags={"edge", "reference_only"}, note="p = t = 0 on a row: 0 / eps = 0 loss; reference_only: Keras "
               "Dice's conventions as parameters")
    yield Case("dice", "saturation_logits_1e4",
               {"input": BIG_LOGITS.reshape(2, 4), "target": BIG_LOGIT_Y.reshape(2, 4)},
               tags={"saturation"}, note=LOGITS)
    yield Case("dice", "nonfinite",
               {"input": NAN_INF_LOGITS.reshape(2, 2), "target": np.array([[1.0, 0.0], [1.0, 1.0]])},
               tags={"nonfinite"}, note=LOGITS)
    yield Case("dice", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))},
               tags={"edge"}, note=LOGITS)
    yield Case("dice", "target_outside_0_1", {"input": x, "target": 2 * y - 1}, tags={"bad_input"},
               note=LOGITS,
               error=("target", r"probabilities must lie in"))
    yield Case("dice", "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               note=LOGITS,
               error=("target", r"shape mismatch"))


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


@cases("softmax_focal")
def _softmax_focal(rng):
    x = 2 * rng.normal(size=(8, 5))
    onehot = np.eye(5)[_labels(rng, 8, 5)]
    soft = _probs(rng, (8, 5))

    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("softmax_focal", id, {"input": input, "target": target}, params or {}, set(tags), note, error=error)

    yield case("onehot_8x5", x, onehot)
    yield case("soft_targets_8x5", x, soft)
    yield case("batch1", x[:1], onehot[:1])
    yield case("kdim", rng.normal(size=(2, 3, 4)), _probs(rng, (2, 3, 4)), note="class axis 1")
    yield case("gamma_0_alpha_1", x, onehot, {"gamma": 0.0, "alpha": 1.0}, note="cross entropy")
    yield case("gamma_0.5", x, soft, {"gamma": 0.5})
    yield case("alpha_0.5_gamma_4", x, onehot, {"alpha": 0.5, "gamma": 4.0})
    yield case("alpha_per_class", x, onehot, {"alpha": np.array([0.25, 1.0, 2.0, 0.5, 0.75])},
               note="Keras accepts a list of alphas, one per class")
    yield case("label_smoothing_0.1", x, onehot, {"label_smoothing": 0.1})
    yield case("label_smoothing_0.3_soft", x, soft, {"label_smoothing": 0.3, "gamma": 1.0})
    yield case("keras_clip", 6 * x, onehot, {"clip_eps": 1e-7}, tags=("interior", "reference_only"),
               note="(Keras' convention, pinned in the reference) Keras clips softmax(x) to [1e-7, 1 - 1e-7]; "
                    "logits of spread ~12 reach the clip")
    yield case("keras_clip_saturated", np.array([[40.0, 0.0, 0.0], [-40.0, 40.0, 0.0]]),
               np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), {"clip_eps": 1e-7}, tags=("saturation", "reference_only"),
               note="p beyond the clip on both ends (Keras' convention, pinned in the reference)")
    yield case("saturated", np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [30.0, 0.0, 0.0]]),
               np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5], [1.0, 0.0, 0.0]]), tags=("saturation",),
               note="1 - p ~ 1e-13 in the last row: formed from log p, not by subtraction")
    yield case("extreme", EXTREME_LOGITS.reshape(2, 3), np.array([[0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]),
               tags=("extreme",))
    yield case("nonfinite", np.array([[np.nan, 0.0, 1.0], [np.inf, 0.0, 0.0], [-np.inf, 0.0, 1.0]]),
               np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), tags=("nonfinite",))
    yield case("empty", np.zeros((0, 3)), np.zeros((0, 3)), tags=("edge",))
    yield case("index_targets", x, _labels(rng, 8, 5), tags=("bad_input",),
               note="the reference takes class probabilities (as Keras); index targets are an adapter's mapping",
               error=("target", r"shape mismatch"))
    yield case("negative_gamma", x, onehot, {"gamma": -1.0}, tags=("bad_input",), error=("gamma", r"expected >= 0"))
    yield case("shape_mismatch", x, onehot[:, :3], tags=("bad_input",), error=("target", r"shape mismatch"))


@cases("generalized_cross_entropy")
def _generalized_cross_entropy(rng):
    p, y = _probs(rng, (8, 5)), _labels(rng, 8, 5)

    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("generalized_cross_entropy", id, {"input": input, "target": target}, params or {}, set(tags),
                    note, error=error)

    yield case("interior_8x5", p, y)
    yield case("batch1", p[:1], y[:1])
    yield case("q_0.7", p, y, {"q": 0.7})
    yield case("q_0.1", p, y, {"q": 0.1})
    yield case("q_1", p, y, {"q": 1.0}, note="1 - p_y")
    yield case("q_0", p, y, {"q": 0.0}, tags=("edge",), note="the limit q -> 0: cross entropy on probabilities")
    sat = np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [1 - 1e-7, 1e-7, 0.0], [1e-30, 1.0 - 1e-30, 0.0]])
    yield case("saturated", sat, np.array([0, 0, 0, 0]), tags=("saturation",), note="p_y = 1, 0, 1 - 1e-7, 1e-30")
    yield case("saturated_q_0.7", sat, np.array([0, 0, 0, 0]), {"q": 0.7}, tags=("saturation",))
    yield case("nonfinite", np.array([[np.nan, 0.5, 0.5], [0.5, np.nan, 0.5]]), np.array([0, 0]),
               tags=("nonfinite",), note="NaN in the target's column, then elsewhere")
    yield case("empty", np.zeros((0, 3)), np.zeros(0, dtype=np.int64), tags=("edge",))
    yield case("class_out_of_range", p[:2], np.array([0, 5]), tags=("bad_input",),
               error=("target", r"class indices must lie in"))
    yield case("q_above_1", p, y, {"q": 1.5}, tags=("bad_input",), error=("q", r"expected a value in \[0, 1\]"))
    yield case("probability_above_1", p + 1.0, y, tags=("bad_input",), error=("input", r"probabilities must lie in"))


# ---------------------------------------------------------------- the documents' second forms


@cases("dice")
def _dice_whole_batch(rng):
    x, t = rng.normal(size=(4, 1, 3, 3)), (rng.random((4, 1, 3, 3)) < 0.4).astype(np.float64)
    logits = "the documents' DiceLoss takes logits (its sigmoid inside); no bound stack's whole-batch dice does"
    yield Case("dice", "whole_batch_documents", {"input": x, "target": t}, {"whole_batch": True},
               tags={"interior", "reference_only"},
               note="004_18f5d166812d638a.txt's DiceLoss: sigmoid, then one dice of the flattened batch; " + logits)
    p = 0.5 + 0.5 * np.tanh(x)
    probs = {"whole_batch": True, "from_logits": False}
    yield Case("dice", "whole_batch_keras", {"input": p, "target": t}, probs, note="Keras Dice's default axis=None")
    yield Case("dice", "whole_batch_saturated", {"input": np.array([[1e4, -1e4], [40.0, -40.0]]),
                                                 "target": np.array([[1.0, 0.0], [0.0, 1.0]])}, {"whole_batch": True},
               tags={"saturation", "reference_only"}, note=logits)
    yield Case("dice", "whole_batch_shape_mismatch", {"input": p, "target": t[:2]}, probs, tags={"bad_input"},
               error=("target", r"shape mismatch"))


@cases("cross_entropy")
def _cross_entropy_sample_weighting(rng):
    x, y = 2 * rng.normal(size=(8, 5)), _labels(rng, 8, 5)
    w = np.array([0.5, 2.0, 1.0, 0.0, 3.0])
    yield Case("cross_entropy", "sample_weighting_smoothed", {"input": x, "target": y},
               {"weight": w, "weighting": "sample", "label_smoothing": 0.1},
               note="-w_y sum_c q_c log p_c: Keras with sample_weight = weight[y]")
    yield Case("cross_entropy", "sample_weighting_smoothed_ignore", {"input": x, "target": y},
               {"weight": w, "weighting": "sample", "label_smoothing": 0.3, "ignore_index": 2})
    yield Case("cross_entropy", "sample_weighting_kdim", {"input": rng.normal(size=(2, 5, 3)),
                                                          "target": _labels(rng, 2, 5, 3)},
               {"weight": w, "weighting": "sample", "label_smoothing": 0.2})
    yield Case("cross_entropy", "sample_weighting_probability_targets", {"input": x, "target": _probs(rng, (8, 5))},
               {"weight": w, "weighting": "sample"}, tags={"bad_input"},
               note="a per-sample weight needs the target class", error=("weighting", r"needs class-index targets"))


# ---------------------------------------------------------------- beyond the documents: optax's losses


@cases("poly1")
def _poly1(rng):
    x, onehot, soft = 2 * rng.normal(size=(8, 5)), np.eye(5)[_labels(rng, 8, 5)], _probs(rng, (8, 5))

    def case(id, input, target, params=None, tags=("interior",), note="", error=None):
        return Case("poly1", id, {"input": input, "target": target}, params or {}, set(tags), note, error=error)

    yield case("onehot_8x5", x, onehot)
    yield case("soft_targets_8x5", x, soft)
    yield case("batch1", x[:1], onehot[:1])
    yield case("kdim", rng.normal(size=(2, 3, 4)), _probs(rng, (2, 3, 4)))
    yield case("epsilon_0", x, onehot, {"epsilon": 0.0}, note="cross entropy")
    yield case("epsilon_-1", x, soft, {"epsilon": -1.0}, note="Leng et al. also use negative epsilon")
    yield case("saturated", np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0], [30.0, 0.0, 0.0]]),
               np.array([[1.0, 0.0, 0.0], [0.5, 0.0, 0.5], [1.0, 0.0, 0.0]]), tags=("saturation",))
    yield case("nonfinite", np.array([[np.nan, 0.0, 1.0], [np.inf, 0.0, 0.0]]),
               np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]]), tags=("nonfinite",))
    yield case("empty", np.zeros((0, 3)), np.zeros((0, 3)), tags=("edge",))
    yield case("index_targets", x, _labels(rng, 8, 5), tags=("bad_input",), error=("target", r"shape mismatch"))
    yield case("shape_mismatch", x, onehot[:, :3], tags=("bad_input",), error=("target", r"shape mismatch"))


@cases("generalized_kl")
def _generalized_kl(rng):
    x, t = rng.normal(size=(8, 5)), np.exp(rng.normal(size=(8, 5)))

    def case(id, input, target, tags=("interior",), note="", error=None):
        return Case("generalized_kl", id, {"input": input, "target": target}, tags=set(tags), note=note, error=error)

    yield case("interior_8x5", x, t, note="input: log-predictions; targets unnormalized, >= 0")
    yield case("batch1", x[:1], t[:1])
    yield case("near_minimum", np.log(t[0]) + np.array([0.0, 1e-6, -1e-4, 1e-2, 0.3]), t[0], ("extreme",),
               note="e^x ~ t: the three terms cancel to second order")
    yield case("zero_targets", x[0], np.array([0.0, 0.0, 1.0, 0.0, 2.0]), ("edge",), "0 log 0 = 0: e^x")
    yield case("extreme", np.array([-80.0, 80.0, -30.0, 20.0]), np.array([1e30, 1e-30, 1e-13, 1e9]), ("extreme",))
    yield case("nonfinite", np.array([np.nan, np.inf, -np.inf, 0.0]), np.array([1.0, 1.0, 1.0, np.inf]),
               ("nonfinite",))
    yield case("empty", np.zeros((0, 3)), np.zeros((0, 3)), ("edge",))
    yield case("negative_target", x[0], -t[0], ("bad_input",), error=("target", r"values must lie in \[0\.0, inf\]"))
    yield case("shape_mismatch", x, t[:, :3], ("bad_input",), error=("target", r"shape mismatch"))


@cases("sparsemax")
def _sparsemax(rng):
    def case(id, x, y, tags=("interior",), note="", error=None):
        return Case("sparsemax", id, {"input": x, "target": np.asarray(y, dtype=np.int64)}, {}, set(tags), note,
                    error)

    yield case("interior_8x4", 2 * rng.normal(size=(8, 4)), _labels(rng, 8, 4), note="multiclass")
    yield case("interior_binary_12", 2 * rng.normal(size=12), rng.integers(0, 2, size=12), note="binary")
    yield case("batch1", np.array([[0.2, -0.1, 0.4]]), [2])
    yield case("ties", np.array([[1.0, 1.0, 1.0], [2.0, 2.0, 0.0], [2.0, 2.0, 0.0], [0.5, 0.5, -3.0]]), [0, 0, 2, 1],
               tags=("branch",), note="equal scores: the sort's order of ties must not matter; the loss is C1")
    yield case("support_edge", np.array([[1.0, 0.0, 0.0], [1.0, 0.0, -2.0], [0.0, 1.0, 0.5]]), [1, 0, 2],
               tags=("branch",), note="z_j = tau: a class on the edge of the support (p_j = 0 either side)")
    yield case("binary_branch_points", np.array([-1.0, 1.0, 1.0, -1.0, 0.0]), [0, 0, 1, 1, 1], tags=("branch",),
               note="sparse_plus at u = -1 and u = 1: the pieces meet with equal slopes")
    yield case("saturated", np.array([[100.0, 0.0, 0.0], [0.0, 100.0, -100.0], [1e4, -1e4, 0.0]]), [1, 1, 0],
               tags=("saturation",), note="a one-hot sparsemax: loss 0 or the score gap")
    yield case("binary_saturated", np.array([1e4, -1e4, 30.0, -30.0]), [0, 0, 1, 1], tags=("saturation",))
    yield case("extreme", np.array([[1e-30, 0.0, -1e-30], [1e8, 1e8 - 64, 1e8 - 32]]), [0, 1], tags=("extreme",))
    yield case("nonfinite", np.array([[np.nan, 0.0, 1.0], [np.inf, 0.0, 0.0], [0.3, 0.2, 0.1]]), [0, 1, 2],
               tags=("nonfinite",))
    yield case("empty", np.zeros((0, 3)), np.zeros(0), tags=("edge",))
    yield case("class_out_of_range", np.zeros((2, 3)), [0, 3], tags=("bad_input",),
               error=("target", r"class indices must lie in"))
    yield case("binary_target_2", np.zeros(3), [0, 2, 1], tags=("bad_input",), error=("target", r"expected values in"))
