"""Known divergences of PaddlePaddle from the reference (see conformance/registry.py for the fields).

Version checked: paddlepaddle 3.3.1 (CPU wheel); the installed Python sources and kernel headers are cited by
path (paddle/nn/functional/loss.py, paddle/include/paddle/phi/...).
"""

import numpy as np

from ..registry import Cells, Divergence, Raises, Reproduces, Signature, Units, shorthands

_V = "paddlepaddle 3.3.1"
_LOSS_PY = "paddle/nn/functional/loss.py"
_PHI = "paddle/include/paddle/phi/kernels"
_F = "paddle.nn.functional."
_CE = (f"{_F}cross_entropy", "paddle.nn.CrossEntropyLoss")
_BCE = (f"{_F}binary_cross_entropy", "paddle.nn.BCELoss")
_DISTANCE = (f"{_F}triplet_margin_with_distance_loss", "paddle.nn.TripletMarginWithDistanceLoss")
# An error the size of the value itself (relative error 1): 2^23 float32 units, 2^52 float64 units (and 1% over).
WHOLE = {"float32": 2.0**23 * 1.01, "float64": 2.0**52 * 1.01}


_d, _unchecked = shorthands("paddle")


DIVERGENCES: list[Divergence] = [
    # ------------------------------------------------------------ bugs
    _d("paddle-gaussian-nll-no-var-grad", "bug",
       Cells(losses="gaussian_nll", checks="grad"), Signature(("no-gradient", "inf/nan")),
       "variance is clipped to epsilon with paddle.clip under paddle.no_grad(), not in place: the clipped copy has "
       "stop_gradient=True, so the loss has no gradient w.r.t. var at all (paddle.grad gives None for it; the "
       "input's gradient is right, but for the nonfinite case's inf where the reference's is NaN).",
       f"{_LOSS_PY} gaussian_nll_loss ('with paddle.no_grad(): variance = paddle.clip(variance, min=epsilon)'), {_V}"),
    _d("paddle-kl-div-no-label-gradient", "bug", Cells(losses="kl_div", checks="grad"), Signature(("no-gradient",)),
       "kl_div's backward computes the input's gradient only: paddle.grad gives None for the label though the loss "
       "reads it, so a distillation loss against a teacher that is itself trained sends the teacher nothing (the "
       "input's gradient is right).",
       f"{_PHI}/kldiv_loss_grad_kernel.h KLDivLossGradKernel (one output, DenseTensor* d_x), {_V}"),
    _d("paddle-triplet-layer-ignores-distance-function", "bug",
       Cells(apis="paddle.nn.TripletMarginWithDistanceLoss", cases=("cosine", "cosine_swap")),
       Reproduces({"distance": "pairwise"}),
       "TripletMarginWithDistanceLoss keeps its distance_function but forward never passes it on to "
       "F.triplet_margin_with_distance_loss: the layer always uses the default PairwiseDistance(2), whatever "
       "distance it is given (the function honours it); the reference with the pairwise distance reproduces it.",
       f"paddle/nn/layer/loss.py TripletMarginWithDistanceLoss.forward (margin, swap, reduction, name: no "
       f"distance_function), {_V}"),
    _d("paddle-huber-delta-float32", "bug",
       Cells(losses="huber", cases="kink_at_delta_1_9", dtypes="float64"),
       Reproduces({"delta": float(np.float32(1 / 9))}),
       "The huber_loss kernel takes delta as a C++ float attribute: in float64 it computes with float32(delta), "
       "so delta = 1/9 acts as 0.11111111194.",
       f"{_PHI}/impl/huber_loss_kernel_impl.h HuberLossKernel (float delta; T delta_ = static_cast<T>(delta)), {_V}"),
    _d("paddle-smooth-l1-delta-float32", "bug",
       Cells(losses="smooth_l1", cases="interior_beta_0.1111", dtypes="float64"), Units({"float64": 3.4e7}),
       "is_huber=False is the huber_loss kernel (float32(delta), see paddle-huber-delta-float32) divided by the "
       "float64 delta: off by float32(1/9) / (1/9) - 1 = 7.5e-9 relative, 3.4e7 float64 units at most.",
       f"{_LOSS_PY} smooth_l1_loss ('out = out / delta'); {_PHI}/impl/huber_loss_kernel_impl.h, {_V}"),
    _d("paddle-smooth-l1-beta-zero-nan", "bug",
       Cells(losses="smooth_l1", cases=("interior_beta_0", "kink_beta0_d_zero")), Signature(("nan/finite",)),
       "is_huber=False divides the Huber loss (delta = 0: 0 everywhere) by delta = 0: NaN value and gradient where "
       "smooth L1 with beta = 0 is the L1 loss.",
       f"{_LOSS_PY} smooth_l1_loss ('if not is_huber: out = out / delta'), {_V}"),
    _d("paddle-huber-nan-grad-finite", "bug",
       Cells(losses=("huber", "smooth_l1"), checks="grad", cases="nonfinite"), Signature(("finite/nan",)),
       "The backward tests abs(d) <= delta, then d > 0, and returns -delta otherwise: a NaN residual fails both "
       "tests and gets the finite slope -delta instead of NaN.",
       f"{_PHI}/impl/huber_loss_grad_kernel_impl.h HuberLossBackward, {_V}"),
    _d("paddle-l1-infinite-grad-nan", "bug",
       Cells(losses="l1", checks="grad", cases="nonfinite"), Signature(("nan/finite",)),
       "The gradient of abs(input - label) is NaN at an infinite residual (the slope is +-1 there): every "
       "non-finite element of the case gets a NaN gradient.",
       f"{_LOSS_PY} l1_loss (_C_ops.abs(_C_ops.subtract(input, label))); {_PHI}/abs_grad_kernel.h, {_V}"),
    _d("paddle-bce-nan-input-raises", "bug", Cells(apis=_BCE, cases="nonfinite"),
       Raises(r"input must be greater than\s+or equal to 0"),
       "The range check x >= 0 is false for NaN, so a NaN probability raises instead of propagating a NaN loss.",
       f"paddle/phi/kernels/cpu/bce_loss_kernel.cc (PADDLE_ENFORCE 'input must be greater than or equal to 0'), {_V}"),
    _d("paddle-bce-logits-grad-at-zero", "bug",
       Cells(losses="binary_cross_entropy_with_logits", checks="grad", cases="saturation_logits_1e4"), Units(WHOLE),
       "At a logit of exactly 0 with label 1 the gradient is -1.5, not sigmoid(0) - 1 = -0.5: the stable form "
       "max(x, 0) - x y + log(1 + exp(-|x|)) is differentiated with the derivative of max(x, 0) taken as 0 and that "
       "of |x| as 1 at x = 0, two inconsistent one-sided choices.",
       f"{_LOSS_PY} binary_cross_entropy_with_logits (_C_ops.sigmoid_cross_entropy_with_logits); observed "
       f"d/dx at x = 0, y = 1: -1.5, {_V}"),
    _d("paddle-bce-logits-infinite-logit-nan", "bug",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/inf",)),
       "The stable form computes inf - inf for x = -inf, y = 1: NaN where the loss is +inf.",
       f"{_LOSS_PY} binary_cross_entropy_with_logits (sigmoid_cross_entropy_with_logits), {_V}"),
    _d("paddle-cross-entropy-smoothing-one-hot-raises", "bug",
       Cells(apis=_CE, cases=("ignore_minus1_label_smoothing", "label_smoothing_weight")),
       Raises("Illegal index value"),
       "With label_smoothing > 0, index labels go through one_hot before ignore_index is applied: an ignored "
       "label (-1, -100) raises 'Illegal index value' instead of being ignored.",
       f"{_LOSS_PY} cross_entropy (label_smoothing: 'label = paddle.nn.functional.one_hot(label, ...)'); "
       f"paddle/phi/kernels/cpu/one_hot_kernel.cc, {_V}"),
    _d("paddle-cross-entropy-soft-weight-kdim-raises", "bug",
       Cells(apis=_CE, cases="prob_targets_weight_kdim"), Raises("In operator matmul"),
       "Probability targets with a class weight on a K-dim input (class axis 1) raise: the weight is gathered by a "
       "matmul of the label's last axis with the weight, whatever the class axis.",
       f"{_LOSS_PY} cross_entropy (soft_label: 'weight_gather = paddle.matmul(x=paddle.cast(label, weight.dtype), "
       f"y=weight, ...)'), {_V}"),
    _d("paddle-cross-entropy-kdim-ignored-mean", "bug",
       Cells(apis=_CE, cases="kdim_4x3x2x2_ignored", reductions="mean"),
       Units({"float32": 1.1e6, "float64": 5.7e14}),
       "With a negative ignore_index (the default -100) and no weight, 'mean' is mean_all(out): the ignored positions "
       "count in the denominator (18.95 / 16 for 14 valid targets); only ignore_index >= 0 divides by the valid count.",
       f"{_LOSS_PY} cross_entropy (reduction='mean': 'if ignore_index >= 0: ... count ...' else "
       f"'return _C_ops.mean_all(out)'), {_V}"),
    _d("paddle-cross-entropy-smoothing-float32", "bug",
       (Cells(apis=_CE, cases="prob_targets_label_smoothing", checks="value", dtypes="float64",
              reductions=("mean", "sum")),
        Cells(apis=_CE, cases="prob_targets_label_smoothing", checks="grad", dtypes="float64")),
       Units({"float64": 2.2e8}),
       "With label_smoothing > 0 the float64 loss and gradient have float32 accuracy (relative errors ~1e-8): the "
       "smoothed label is built in float32 (one_hot returns float32; label_smooth's epsilon is a float attribute) and "
       "only then cast to the input's dtype.",
       f"{_LOSS_PY} cross_entropy ('label = paddle.nn.functional.one_hot(label, ...)'; 'label = "
       f"paddle.nn.functional.label_smooth(label, epsilon=label_smoothing)'; "
       f"'label = label.astype(input.dtype)'), {_V}"),
    _d("paddle-cross-entropy-soft-shape", "different-definition",
       Cells(apis=_CE, cases="prob_targets_label_smoothing", checks="value", reductions="none"),
       Signature(("shape",)),
       "With soft labels, or label_smoothing > 0 (which turns index labels into soft ones), reduction='none' keeps "
       "the class axis: (N, 1) (or (N, 1, d1, ...)), where index labels without smoothing give (N,) as torch does.",
       f"{_LOSS_PY} cross_entropy ('if input_dims - 1 == label_dims: out = paddle.squeeze(out, axis=axis)': index "
       f"labels only), {_V}"),
    _d("paddle-nll-all-ignored-mean-zero", "bug",
       (Cells(apis=_CE, cases="all_ignored", reductions="mean"),
        Cells(losses="cross_entropy", cases="all_ignored", reductions="mean", checks="grad"),
        Cells(losses="nll", cases=("all_ignored", "empty"), reductions="mean", checks="value")),
       Signature(("0/nan",)),
       "With every target ignored (or none at all), 'mean' is 0 / 0 = NaN, but paddle returns 0 (and a zero "
       "gradient): the denominator is guarded (count + (count == 0), or mean_all over zeros).",
       f"{_LOSS_PY} cross_entropy ('ret = out_sum / (count + (count == 0.0).astype(count.dtype))'), nll_loss, {_V}"),
    _d("paddle-triplet-distance-nan-raises", "bug",
       Cells(apis=_DISTANCE, cases="nonfinite"), Raises("positive distance or negative distance should be greater"),
       "The check paddle.all(positive_dist >= 0) is false for a NaN distance, so a NaN embedding raises instead of "
       "giving NaN.",
       f"{_LOSS_PY} triplet_margin_with_distance_loss ('The positive distance or negative distance should be "
       f"greater than 0'), {_V}"),
    _d("paddle-triplet-zero-distance-grad-nan", "bug",
       Cells(apis=(f"{_F}triplet_margin_loss", "paddle.nn.TripletMarginLoss"), checks="grad", cases="zero_distance"),
       Signature(("nan/finite",)),
       "With epsilon = 0, p_norm's backward divides by the norm: a zero distance gives a NaN gradient where the "
       "subgradient 0 is valid.",
       f"paddle/nn/functional/distance.py pairwise_distance (_C_ops.p_norm(sub, p, -1, 0.0, ...)), {_V}"),
    _d("paddle-ctc-impossible-finite", "bug",
       Cells(losses="ctc", checks="value", cases="impossible_alignment"), Signature(("finite/inf",)),
       "A target that no alignment fits has p = 0 and loss +inf; warpctc returns a finite number for it.",
       f"{_LOSS_PY} ctc_loss (_C_ops.warpctc), {_V}"),
    _d("paddle-ctc-mean-empty-target-inf", "bug",
       Cells(losses="ctc", cases="empty_target", reductions="mean"), Signature(("inf/finite", "nan/finite")),
       "'mean' divides each loss by its label length, and an empty target has length 0: inf, where torch's (and the "
       "reference's) convention divides by max(length, 1); its gradient is NaN.",
       f"{_LOSS_PY} ctc_loss ('paddle.mean(loss_out / label_lengths.astype(loss_out.dtype))'), {_V}"),
    _d("paddle-soft-margin-overflow", "bug",
       (Cells(losses="soft_margin", cases=("extreme", "saturation_logits_1e4")),
        Cells(losses="soft_margin", checks="grad", cases="nonfinite")),
       Signature(("inf/finite", "nan/finite")),
       "soft_margin_loss computes log(1 + exp(-y x)) directly: exp overflows for -y x > 88 (float32) / 709 "
       "(float64), so the loss is inf where it is -y x, and the backward is NaN where the slope is -y.",
       f"{_LOSS_PY} soft_margin_loss (paddle.log(1 + paddle.exp(-label * input))), {_V}"),
    _d("paddle-gaussian-nll-inf-over-inf", "bug",
       Cells(losses="gaussian_nll", checks="value", cases="nonfinite", reductions="none"), Signature(("inf/nan",)),
       "An infinite residual against an infinite variance (inf^2 / inf, NaN in the definition) comes out inf.",
       f"{_LOSS_PY} gaussian_nll_loss (0.5 * (paddle.log(variance) + paddle.square(input - label) / variance)), {_V}"),
    _d("paddle-poisson-nll-no-xlogy", "bug",
       (Cells(losses="poisson_nll", cases="nonfinite", checks="value", reductions="none"),
        Cells(losses="poisson_nll", cases="nonfinite", checks="grad", dtypes="float64")),
       Signature(("nan/finite",), units={"float64": 1.4e15}),
       "exp(input) - label * input is evaluated literally: at input = -inf, label = 0 it is 0 * -inf = NaN where "
       "the loss has the limit 0; the float64 gradient there is a subnormal (5.6e-309) instead of 0.",
       f"{_LOSS_PY} poisson_nll_loss ('loss_out = paddle.exp(input) - label * input'), {_V}"),
    _d("paddle-hinge-embedding-nan-dropped", "bug",
       Cells(losses="hinge_embedding", checks="value", cases="nonfinite"), Signature(("inf/nan", "0/nan")),
       "The two branches are selected by the label with paddle.where and the relu of the -1 branch maps NaN to 0: a "
       "NaN input or label gives 0 or -inf where the definition gives NaN.",
       f"{_LOSS_PY} hinge_embedding_loss (paddle.where(label == 1., input, zero_) + paddle.where(label == -1., "
       f"paddle.nn.functional.relu(margin - input), zero_)), {_V}"),
    _d("paddle-margin-ranking-nan-zero", "bug",
       Cells(losses="margin_ranking", checks="value", cases="nonfinite"), Signature(("0/nan",)),
       "The hinge is paddle.nn.functional.relu(-label * (input - other) + margin), and relu(NaN) is 0: a NaN "
       "input gives 0 instead of NaN.",
       f"{_LOSS_PY} margin_ranking_loss ('out = _C_ops.relu(out)'), {_V}"),
    _d("paddle-multilabel-soft-margin-nan-grad", "bug",
       Cells(losses="multilabel_soft_margin", checks="grad", cases="nonfinite"), Signature(("nan/finite",)),
       "log_sigmoid's backward at an infinite logit is NaN, where the slope is finite (0 or -1).",
       f"{_LOSS_PY} multi_label_soft_margin_loss ('label * paddle.nn.functional.log_sigmoid(input) + (1 - label) * "
       f"paddle.nn.functional.log_sigmoid(-input)'), {_V}"),
    _d("paddle-log-loss-no-xlogy", "bug", Cells(apis=f"{_F}log_loss", cases="saturation"),
       Signature(("nan/finite", "nan/inf")),
       "-label log(input + epsilon) - (1 - label) log(1 - input + epsilon) is evaluated literally: with epsilon = 0 "
       "a saturated p against its own label is 0 * -inf = NaN where the loss is 0 (value and gradient).",
       f"{_LOSS_PY} log_loss docstring formula (_C_ops.log_loss), {_V}"),
    # ------------------------------------------------------------ precision
    _d("paddle-bce-log1m-precision", "precision",
       Cells(apis=_BCE, checks="value", cases="saturation", dtypes="float64", reductions="none"),
       Units({"float64": 2.3e15}),
       "log(1 - p) is a plain log, not log1p(-p): for p = 1e-300, y = 0 the loss 1e-300 comes out 0.",
       f"paddle/phi/kernels/cpu/bce_loss_kernel.cc (log(1 - x)), {_V}"),
    _d("paddle-cross-entropy-log-softmax-precision", "precision",
       Cells(losses="cross_entropy", checks="value", reductions="none", cases="saturation_logits_1e4"),
       Units({"float32": 3e5, "float64": 2e11}),
       "log_softmax computes x - max - log(sum exp(x - max)) with a plain log: for a confident row the loss ~1e-13 "
       "rounds to 0 where log1p keeps it.",
       f"{_PHI}/funcs/softmax_impl.h / cross_entropy.h, {_V}"),
    _d("paddle-bce-logits-log1p-precision", "precision",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", reductions="none",
             cases=("interior_8x5", "weight", "pos_weight")),
       Units({"float32": 400, "float64": 200}),
       "The unreduced loss adds log(1 + exp(-|x|)) with a plain log, not log1p, so terms with |x| >> 1 and a small "
       "loss lose their relative accuracy (hundreds of units of the dtype).",
       f"{_LOSS_PY} binary_cross_entropy_with_logits (sigmoid_cross_entropy_with_logits kernel), {_V}"),
    _d("paddle-cosine-parallel-grad-residue", "precision",
       (Cells(losses="cosine_embedding", checks="grad", cases="parallel_and_opposite", dtypes="float64"),
        Cells(losses="cosine_embedding", checks="grad", cases="parallel_and_opposite", dtypes="float32",
              reductions=("none", "mean"))),
       Units({"float32": 1.3e12, "float64": 3e13}),
       "For parallel vectors the gradient of 1 - cos is a difference of two terms of size 1 / |x| that cancel; "
       "paddle's evaluation through sqrt(mag_square1 * mag_square2) leaves a residue of one rounding of them (in "
       "float32 the 'sum' cotangent happens to cancel it).",
       f"{_LOSS_PY} cosine_embedding_loss (cos = prod_sum / paddle.sqrt(mag_square1 * mag_square2)), {_V}"),
    _d("paddle-cosine-margin-kink-shift", "precision",
       Cells(losses="cosine_embedding", checks="grad", cases="cos_equals_margin", dtypes="float64"),
       Units({"float64": 3.6e6}),
       "Where cos meets the margin exactly, the 1e-11 added to each squared norm (COSINE_EPSILON) moves cos just "
       "below it: paddle takes the slope of the active branch, a hair outside the subgradient interval of the "
       "shifted reference (5.8e-11 relative).",
       f"{_LOSS_PY} cosine_embedding_loss (paddle.clip(cos - margin, min=0)), {_V}"),
    _d("paddle-multilabel-margin-margin-lost", "precision",
       Cells(losses="multilabel_margin", checks="grad", dtypes="float32", cases="extreme"), Units(4.3e6),
       "The hinge 1 - x[y] + x[j] is evaluated left to right, so (1 - 1e8) + 1e8 = 0 in float32: the margin is lost "
       "and a hinge reads as exactly met.",
       f"{_LOSS_PY} multi_label_margin_loss, {_V}"),
    _d("paddle-pairwise-p3-precision", "precision",
       Cells(losses="triplet_margin", cases="p3_margin_0.5", dtypes="float64"), Units({"float64": 2.2e8}),
       "For p = 3 the float64 distances are off by up to ~5e-8 relative (p = 1, 2 agree): p_norm takes porder as "
       "a C++ float and evaluates the power and root at float32 accuracy.",
       f"paddle/nn/functional/distance.py pairwise_distance (_C_ops.p_norm); paddle/include/paddle/phi/api/include/"
       f"api.h p_norm(const Tensor& x, float porder, ...), {_V}"),
    # ------------------------------------------------------------ different definitions
    _d("paddle-focal-normalizer-divides-before-the-sum", "different-definition",
       Cells(apis="paddle.nn.functional.sigmoid_focal_loss[normalizer=N]", checks="value", cases="empty"),
       Signature(("0/nan",)),
       "sigmoid_focal_loss divides the element-wise loss by normalizer before it reduces: the normalized sum of an "
       "empty batch is a sum over nothing, 0, where the mean of nothing is NaN (0 / 0: the binding's normalizer, the "
       "element count, is 0 there).",
       f"{_LOSS_PY} sigmoid_focal_loss (_C_ops.divide(loss, normalizer), then _C_ops.sum), {_V}"),
    _d("paddle-bce-backward-epsilon", "different-definition",
       Cells(losses="binary_cross_entropy", checks="grad", cases=("saturation", "extreme"),
             apis=(f"{_F}binary_cross_entropy", "paddle.nn.BCELoss")),
       Units({"float32": 2e8, "float64": 7e16}),
       "The backward is w (p - y) / max(p (1 - p), 1e-12), not the derivative of the clamped forward: at p within "
       "1e-12 of 0 or 1 the gradient is ~1e12 instead of 0 under the clamp.",
       f"paddle/phi/kernels/cpu/bce_loss_grad_kernel.cc (observed: -1e12 at p = 0, y = 1), {_V}"),
    # ------------------------------------------------------------ bad input the framework accepts
    _unchecked("paddle-probability-target-no-check",
               Cells(checks="error", cases=("target_outside_0_1", "prob_target_outside_0_1")), ("finite",),
               "Targets documented as probabilities are not checked to lie in [0, 1] (binary_cross_entropy, "
               "binary_cross_entropy_with_logits, cross_entropy with soft labels, kl_div, "
               "multi_label_soft_margin_loss, sigmoid_focal_loss): the formula returns a finite value.",
               f"{_LOSS_PY} (no range check on label in these functions), {_V}"),
    _unchecked("paddle-log-loss-no-input-check",
               Cells(apis=f"{_F}log_loss", checks="error", cases="input_outside_0_1"), ("non-finite",),
               "log_loss does not check that its input is a probability: the logs of a negative or > 1 input give NaN.",
               f"{_LOSS_PY} log_loss (_C_ops.log_loss), {_V}"),
    _unchecked("paddle-no-sign-label-check", Cells(checks="error", cases=("y_zero", "target_zero_one")), ("finite",),
               "Labels documented as 1 or -1 are not checked: y = 0 (or {0, 1} labels) silently gives a loss from the "
               "formula's other branches or a zero.",
               f"{_LOSS_PY} soft_margin_loss / hinge_embedding_loss / margin_ranking_loss / cosine_embedding_loss "
               f"docstrings ('1 or -1'), {_V}"),
    _unchecked("paddle-margin-ranking-broadcasts",
               Cells(losses="margin_ranking", checks="error", cases="shape_mismatch"), ("finite",),
               "Mismatched input / other shapes are broadcast instead of rejected.",
               f"{_LOSS_PY} margin_ranking_loss (element-wise ops broadcast), {_V}"),
    _unchecked("paddle-multilabel-margin-duplicate-label",
               Cells(losses="multilabel_margin", checks="error", cases="duplicate_label"), ("finite",),
               "A label listed twice before the -1 terminator is not rejected; it is counted twice.",
               f"{_LOSS_PY} multi_label_margin_loss, {_V}"),
    _unchecked("paddle-poisson-nll-no-domain-check",
               Cells(losses="poisson_nll", checks="error", cases="negative_count"), ("finite",),
               "Negative counts are not checked: the formula returns a finite value.",
               f"{_LOSS_PY} poisson_nll_loss, {_V}"),
    _unchecked("paddle-pairwise-distance-p-zero", Cells(losses="triplet_margin", checks="error", cases="p_zero"),
               ("finite",),
               "p = 0 is accepted: the p-norm at 0 counts the non-zero entries, where the reference requires p > 0.",
               f"paddle/nn/functional/distance.py pairwise_distance (_C_ops.p_norm), {_V}"),
    _unchecked("paddle-ctc-blank-label-accepted", Cells(losses="ctc", checks="error", cases="label_is_blank"),
               ("finite",),
               "A target label equal to blank is not rejected; a finite loss comes out.",
               f"{_LOSS_PY} ctc_loss (warpctc), {_V}"),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

_MULTI_MARGIN = ("multi_margin_loss: mean_i max(0, margin - x_y + x_i)^p - margin^p / paddle.shape(input)[1] "
                 "(the i = y term is computed and then subtracted)")

DIVERGENCES += [
    _d("paddle-multi-margin-float32-constant", "bug",
       Cells(losses="multi_margin", checks="value", dtypes="float64",
             cases=("all_margins_met", "hinge_points", "hinge_points_p_2")),
       Units(32, absolute={"float64": 3e-8}),
       "The i = y term is removed by subtracting margin^p / C with C = paddle.shape(input)[1], an int32 tensor, so "
       "the quotient is float32: in float64 every sample is off by float32(1/3) - 1/3 = 9.9e-9 (C = 3), a loss of 0 "
       "comes out -9.9e-9; the sum of three samples 3e-8.", f"{_LOSS_PY} {_MULTI_MARGIN}, {_V}"),
    _d("paddle-multi-margin-self-term-absorbed", "bug",
       Cells(losses="multi_margin", checks="value", cases="extreme"), Units(32, absolute={"float32": 0.7,
                                                                                        "float64": 0.7}),
       "The i = y term margin - x_y + x_y that the subtraction removes is computed in floating point: where |x_y| is "
       "far beyond the margin (1e8 in float32, 3e18 in float64) it rounds to 0, not margin, and the sample's loss "
       "comes out -margin^p / C = -1/3 where it is 0 (the sum of two such samples -2/3).",
       f"{_LOSS_PY} {_MULTI_MARGIN}, {_V}"),
    _d("paddle-multi-margin-infinite-score-nan", "bug",
       Cells(losses="multi_margin", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/0",), units={"float64": 2e8}),
       "An infinite target score x_y = inf gives the i = y term margin - inf + inf = NaN, so the sample's loss is "
       "NaN where every margin is met (0); in float64 the finite samples carry paddle-multi-margin-float32-constant's "
       "9.9e-9 (1.3e8 units of a loss of 0.07).", f"{_LOSS_PY} {_MULTI_MARGIN}, {_V}"),
    _unchecked("paddle-multi-margin-any-p", Cells(losses="multi_margin", checks="error", cases="p_3"), ("finite",),
               "p is not checked (torch accepts 1 and 2 only): paddle.pow raises the hinge to any p.",
               f"{_LOSS_PY} multi_margin_loss, {_V}"),
    _unchecked("paddle-broadcasts-mismatched-shapes",
               (Cells(apis=(f"{_F}l1_loss", "paddle.nn.L1Loss", f"{_F}mse_loss", "paddle.nn.MSELoss",
                            f"{_F}square_error_cost"), checks="error", cases="shape_broadcasts"),
                Cells(apis=f"{_F}log_loss", checks="error", cases="shape_broadcasts", dtypes="float32")),
               ("finite",),
               "l1_loss, mse_loss and square_error_cost subtract with paddle's broadcasting and check no shapes: "
               "(N, 1) against (N,) gives (N, N) pairs (measured: shape (8, 8)); log_loss too in float32 (its float64 "
               "kernel is not registered: it raises there); the other losses check the ranks ('Input(X) and "
               "Input(Label) shall have the same rank') and raise.",
               f"{_LOSS_PY} l1_loss, mse_loss, square_error_cost, log_loss, {_V}"),
]
