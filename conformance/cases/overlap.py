"""Cases for tversky (soft segmentations: probabilities, or logits with from_logits)."""

import numpy as np

from ._core import Case, cases


@cases("tversky")
def _tversky(rng):
    p = 0.5 + 0.5 * np.tanh(rng.normal(size=(4, 2, 3, 3)))
    t = (rng.random((4, 2, 3, 3)) < 0.4).astype(np.float64)
    a = {"input": p, "target": t}

    NO_SMOOTH = "Keras Tversky has no smoothing term"
    LOGITS = "logits: optax's dice_loss on one class (a sigmoid); Keras Tversky takes probabilities"

    def case(id, arrays, params=None, tags=("interior",), note="", error=None):
        return Case("tversky", id, arrays, params or {}, set(tags), note, error=error)

    yield case("interior_4x2x3x3", a, note="per sample: one value per sample")
    yield case("batch1", {"input": p[:1], "target": t[:1]})
    yield case("soft_targets", {"input": p, "target": rng.random((4, 2, 3, 3))})
    yield case("alpha_0.3_beta_0.7", a, {"alpha": 0.3, "beta": 0.7},
               note="Salehi's alpha (false positives) and beta (false negatives); Keras' names are swapped")
    yield case("alpha_0.7_beta_0.3", a, {"alpha": 0.7, "beta": 0.3})
    yield case("smooth_1", a, {"smooth": 1.0}, tags=("interior", "reference_only"), note=NO_SMOOTH)
    yield case("smooth_0.5_whole_batch", a, {"smooth": 0.5, "whole_batch": True}, tags=("interior", "reference_only"),
               note=NO_SMOOTH)
    yield case("keras_whole_batch", a, {"whole_batch": True},
               note="Keras Tversky's axis=None: one value for the batch")
    yield case("whole_batch_alpha_0.3_beta_0.7", a, {"whole_batch": True, "alpha": 0.3, "beta": 0.7})
    logits = {"input": 3 * rng.normal(size=(4, 6)), "target": t.reshape(4, -1)[:, :6].copy()}
    yield case("from_logits", logits, {"from_logits": True}, note=LOGITS)
    yield case("from_logits_alpha_0.3_beta_0.7_smooth_1", logits,
               {"from_logits": True, "alpha": 0.3, "beta": 0.7, "smooth": 1.0}, note=LOGITS)
    yield case("from_logits_smooth_0.5_whole_batch", logits, {"from_logits": True, "smooth": 0.5, "whole_batch": True},
               note=LOGITS)
    yield case("perfect_and_empty_masks", {"input": np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 1.0, 0.5]]),
                                           "target": np.array([[1.0, 0.0, 1.0], [0.0, 0.0, 0.0], [0.0, 0.0, 0.0]])},
               {"eps": 1e-7}, tags=("edge", "reference_only"),
               note="loss 0; 0/0 guarded by eps; no positives in the target (Keras' eps, pinned in the reference)")
    yield case("all_zero_no_eps", {"input": np.zeros((2, 3)), "target": np.zeros((2, 3))}, tags=("edge",),
               note="TP = FP = FN = 0 with smooth = eps = 0: 0/0, NaN")
    yield case("saturated_logits", {"input": np.array([[1e4, -1e4, 40.0], [-40.0, 1e3, -1e3]]),
                                    "target": np.array([[1.0, 0.0, 1.0], [1.0, 1.0, 0.0]])}, {"from_logits": True},
               tags=("saturation",), note=LOGITS)
    yield case("extreme", {"input": np.array([[1e-30, 1e-38, 1.0], [1.0 - 1e-7, 1e-20, 0.0]]),
                           "target": np.array([[1.0, 1.0, 0.0], [1.0, 0.0, 1e-30]])}, tags=("extreme",))
    yield case("nonfinite", {"input": np.array([[np.nan, 0.5, 0.5], [0.5, 0.5, 0.5]]),
                             "target": np.array([[1.0, 0.0, 1.0], [1.0, 0.0, np.nan]])}, tags=("nonfinite",))
    yield case("empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags=("edge",))
    yield case("probability_above_1", {"input": p + 1.0, "target": t}, tags=("bad_input",),
               error=("input", r"probabilities must lie in"))
    yield case("negative_alpha", a, {"alpha": -0.5}, tags=("bad_input",), error=("alpha", r"expected >= 0"))
    yield case("shape_mismatch", {"input": p, "target": t[:, :1]}, tags=("bad_input",),
               error=("target", r"shape mismatch"))


@cases("generalized_dice")
def _generalized_dice(rng):
    def onehot(*shape):  # (N, C, ...) one-hot over axis 1
        return np.moveaxis(np.eye(shape[1])[rng.integers(0, shape[1], size=(shape[0],) + shape[2:])], -1, 1)

    def softmax(x):
        e = np.exp(x - x.max(axis=1, keepdims=True))
        return e / e.sum(axis=1, keepdims=True)

    def case(id, x, t, params=None, tags=("interior",), note="", error=None):
        return Case("generalized_dice", id, {"input": x, "target": t}, params or {}, set(tags), note, error=error)

    x, t = 2 * rng.normal(size=(4, 3, 3, 3)), onehot(4, 3, 3, 3)
    mean = {"form": "class_mean"}
    ratio_only = "Sudre's ratio form: no bound stack ships it (optax's is form='class_mean')"
    yield case("class_mean_logits", x, t, {**mean, "from_logits": True},
               note="optax multiclass_generalized_dice_loss: softmax over the classes, batch-frequency weights")
    yield case("class_mean_logits_smooth_2", x, t, {**mean, "from_logits": True, "smooth": 2.0},
               note="optax's default smooth=1 in its form 1 - (TP + s') / (TP + FP / 2 + FN / 2 + s')")
    yield case("class_mean_probabilities", softmax(x), t, mean, note="apply_softmax=False")
    yield case("class_mean_probabilities_smooth_1", softmax(x), t, {**mean, "smooth": 1.0})
    yield case("class_mean_soft_targets", x[:2], softmax(rng.normal(size=(2, 3, 3, 3))), {**mean, "from_logits": True})
    absent = onehot(4, 3, 3, 3)
    absent[:, 1] = 0.0
    absent[:, 0] = 1.0 - absent[:, 2]
    sparse = absent.copy()
    sparse[3, :, 0, 0] = [0.0, 1.0, 0.0]  # class 1 in one pixel of the whole batch
    yield case("class_mean_rare_class", x, sparse, {**mean, "from_logits": True}, ("edge",),
               note="a class absent from three samples (their per-sample Sudre weight is infinite), in one pixel of "
                    "the batch: optax's batch-frequency weight 1 / (1 + 1e-7) stays finite")
    yield case("class_mean_saturated", 40.0 * np.sign(rng.normal(size=(4, 3, 3, 3))), t, {**mean, "from_logits": True},
               ("saturation",), note="logits +-40: a softmax of 0, 1/3, 1/2 and 1 up to e^-80")
    yield case("ratio_interior", softmax(x), t, tags=("interior", "reference_only"), note=ratio_only)
    yield case("ratio_from_logits", x, t, {"from_logits": True, "smooth": 1.0}, ("interior", "reference_only"),
               note=ratio_only)
    yield case("ratio_empty_foreground", softmax(x), absent, {"eps": 1e-7}, ("edge", "reference_only"),
               note=ratio_only + "; a class absent from a sample: w_c = 1e7")
    yield case("probability_above_1", softmax(x) + 1.0, t, mean, ("bad_input",),
               error=("input", r"probabilities must lie in"))
    yield case("shape_mismatch", x, t[:, :2], {**mean, "from_logits": True}, ("bad_input",),
               error=("target", r"shape mismatch"))
    yield case("negative_smooth", x, t, {**mean, "from_logits": True, "smooth": -1.0}, ("bad_input",),
               error=("smooth", r"expected >= 0"))
