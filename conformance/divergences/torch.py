"""Known divergences of torch from the reference (see conformance/registry.py for the fields).

Versions checked: torch 2.14.1, torchvision 0.29.1 (the installed sources are cited by path).
"""

from ..registry import Divergence

_T = "torch"
_LOSS_CPP = "aten/src/ATen/native/Loss.cpp"
_BOX = "torchvision.ops.*"

DIVERGENCES: list[Divergence] = [
    # ------------------------------------------------------------ conventions (verified by the binding's params)
    Divergence(
        "torch-bce-log-clamp-100", "binary_cross_entropy", _T, "torch.nn*", "convention",
        "BCELoss clamps each log at -100, so a saturated p (0 or 1 against the other label) costs 100, not inf; "
        "the binding's log_min=-100 reproduces it.",
        "torch/nn/modules/loss.py BCELoss docstring ('clamps its log function outputs to be greater than or equal "
        "to -100'), torch 2.14.1",
        check="value", cases=("saturation",)),
    Divergence(
        "torch-cosine-epsilon-value", "cosine_embedding", _T, "torch.nn*", "convention",
        "torch adds EPSILON (a C++ float 1e-12) to each squared norm; in float64 that shifts cos by ~1e-12 / |x|^2, "
        "more than the dtype's units (the binding's eps=float32(1e-12) reproduces it).",
        f"{_LOSS_CPP} cosine_embedding_loss (EPSILON), torch 2.14.1",
        check="value", dtypes=("float64",),
        cases=("batch1", "interior_8x5", "interior_margin_0.5", "cos_equals_margin", "parallel_and_opposite")),
    Divergence(
        "torch-cosine-epsilon-grad", "cosine_embedding", _T, "torch.nn*", "convention",
        "The EPSILON added to each squared norm also moves the float64 gradient (the binding's eps reproduces it).",
        f"{_LOSS_CPP} cosine_embedding_loss (EPSILON), torch 2.14.1",
        check="grad", dtypes=("float64",), cases=("batch1", "interior_8x5", "interior_margin_0.5")),
    Divergence(
        "torch-cosine-epsilon-extreme", "cosine_embedding", _T, "torch.nn*", "convention",
        "With norms of 1e-9 the EPSILON 1e-12 on the squared norms dominates them, in both dtypes (the binding's "
        "eps reproduces it).",
        f"{_LOSS_CPP} cosine_embedding_loss (EPSILON), torch 2.14.1",
        cases=("extreme",)),
    Divergence(
        "torch-triplet-distance-pairwise-eps-value", "triplet_margin", _T, "torch.nn*riplet*ith*istance*",
        "convention",
        "The default distance_function is torch.pairwise_distance, ||a - b + 1e-6||_2; the 1e-6 shows in float64 "
        "(the binding's eps=1e-6 reproduces it).",
        "torch/nn/functional.py triplet_margin_with_distance_loss (distance_function defaults to pairwise_distance), "
        "torch 2.14.1",
        check="value", dtypes=("float64",), cases=("batch1", "interior_8x4", "swap", "swap_tie")),
    Divergence(
        "torch-triplet-distance-pairwise-eps-grad", "triplet_margin", _T, "torch.nn*riplet*ith*istance*",
        "convention",
        "The pairwise_distance eps=1e-6 moves the float64 gradient too (the binding's eps=1e-6 reproduces it).",
        "torch/nn/functional.py triplet_margin_with_distance_loss, torch 2.14.1",
        check="grad", dtypes=("float64",),
        cases=("batch1", "extreme", "interior_8x4", "margin_met", "swap", "swap_tie")),
    Divergence(
        "torch-gaussian-nll-clamp-no-grad", "gaussian_nll", _T, "torch.nn*", "convention",
        "var is clamped to eps in place under torch.no_grad(), so where var < eps the gradient w.r.t. var is "
        "the unclamped one, not 0 (the binding's clamp_no_grad=True reproduces it).",
        "torch/nn/functional.py gaussian_nll_loss ('with torch.no_grad(): var.clamp_(min=eps)'), torch 2.14.1",
        check="grad", cases=("var_below_eps",)),
    Divergence(
        "torch-ciou-detach-alpha", "ciou", _T, "torchvision.ops.complete_box_iou*", "convention",
        "torchvision computes CIoU's alpha under torch.no_grad(), so its gradient misses the d alpha term (the "
        "binding's detach_alpha=True reproduces it).",
        "torchvision/ops/ciou_loss.py complete_box_iou_loss and torchvision/ops/boxes.py complete_box_iou "
        "('with torch.no_grad(): alpha = ...'), torchvision 0.29.1",
        check="grad",
        cases=("interior_8x4", "interior_eps_1e-7", "large_1e4", "tiny_1e-6", "tiny_1e-6_eps_1e-7",
               "disjoint_touching_nested")),
    Divergence(
        "torch-ciou-loss-diou-eps", "ciou", _T, "torchvision.ops.complete_box_iou_loss", "convention",
        "complete_box_iou_loss calls _diou_iou_loss(boxes1, boxes2) without its eps, so the DIoU part always uses "
        "1e-7 (visible in float64, and in float32 for tiny boxes); the binding's diou_eps=1e-7 reproduces it.",
        "torchvision/ops/ciou_loss.py complete_box_iou_loss, torchvision 0.29.1",
        check="value", dtypes=("float64",), cases=("interior_8x4", "disjoint_touching_nested", "identical")),
    Divergence(
        "torch-ciou-loss-diou-eps-tiny", "ciou", _T, "torchvision.ops.complete_box_iou_loss", "convention",
        "For boxes of size 1e-6 (areas 1e-12) the fixed 1e-7 in the DIoU part's union dominates, in both dtypes "
        "(the binding's diou_eps=1e-7 reproduces it).",
        "torchvision/ops/ciou_loss.py complete_box_iou_loss, torchvision 0.29.1",
        check="value", cases=("tiny_1e-6",)),
    # ------------------------------------------------------------ bugs
    Divergence(
        "torch-ctc-grad-is-logits-grad", "ctc", _T, "torch.nn*", "bug",
        "The CTC backward returns exp(log_probs) - posterior occupancy, the gradient w.r.t. logits z with "
        "log_probs = log_softmax(z), not w.r.t. log_probs (the value is right); reproduced by log_softmax_grad=True.",
        "https://github.com/pytorch/pytorch/issues/52241 (also #82545, #181534: 'module: correctness (silent)')",
        check="grad", params={"log_softmax_grad": True},
        cases=("interior_T12_N3_C5", "repeats", "blank_last", "concatenated_targets", "empty_target",
               "impossible_zero_infinity", "unnormalized_log_probs")),
    Divergence(
        "torch-l1-nan-grad-zero", "l1", _T, "torch.nn*", "bug",
        "The backward multiplies by sign(input - target) and torch's sign(NaN) is 0, so a NaN input or target "
        "gets gradient 0 instead of NaN.",
        f"{_LOSS_CPP} / tools/autograd/derivatives.yaml l1_loss (grad * sgn(self - target)), torch 2.14.1",
        check="grad", cases=("nonfinite",)),
    Divergence(
        "torch-bce-nan-input-raises", "binary_cross_entropy", _T, "torch.nn*", "bug",
        "The range check 'input >= 0 && input <= 1' is false for NaN, so a NaN probability raises instead of "
        "propagating a NaN loss.",
        f"{_LOSS_CPP} binary_cross_entropy_out_cpu (TORCH_CHECK 'all elements of input should be between 0 and "
        "1'), torch 2.14.1",
        cases=("nonfinite",)),
    Divergence(
        "torch-bce-logits-infinite-logit-nan", "binary_cross_entropy_with_logits", _T, "torch.nn*", "bug",
        "The stable form (1 - y) x + max(-x, 0) + log(exp(-max) + exp(-x - max)) computes inf - inf for x = -inf, "
        "y = 1: NaN where the loss is +inf.",
        f"{_LOSS_CPP} binary_cross_entropy_with_logits, torch 2.14.1",
        check="value", cases=("nonfinite",), reductions=("none",)),
    Divergence(
        "torch-cross-entropy-all-ignored-grad-zero", "cross_entropy", _T, "torch.nn*", "bug",
        "With every target ignored, 'mean' is 0 / 0 = NaN, but the backward only writes the non-ignored entries "
        "(-w / total_weight), so the gradient is 0 while the value is NaN.",
        "aten/src/ATen/native/LossNLL.cpp nll_loss_backward_out_frame (skips target == ignore_index), "
        "torch 2.14.1",
        check="grad", cases=("all_ignored",), reductions=("mean",)),
    Divergence(
        "torch-multilabel-margin-nan-dropped", "multilabel_margin", _T, "torch.nn*", "bug",
        "Each hinge term is added only 'if (z > 0)', and NaN > 0 is false, so a NaN input is dropped from the sum "
        "(loss 0) instead of giving NaN.",
        "aten/src/ATen/native/LossMultiLabelMargin.cpp multilabel_margin_loss_forward_out_frame, torch 2.14.1",
        check="value", cases=("nonfinite",)),
    Divergence(
        "torch-poisson-nll-xlogy", "poisson_nll", _T, "torch.nn*", "bug",
        "With log_input=False it computes input - target * log(input + eps) literally: at input = target = 0 "
        "(eps = 0) that is 0 * -inf = NaN, where the loss's limit is 0 (target log input with target = 0) and "
        "its slope 1.",
        "torch/nn/functional.py poisson_nll_loss ('input - target * torch.log(input + eps)'), torch 2.14.1",
        cases=("zero_rate",)),
    Divergence(
        "torch-poisson-nll-log-input-no-xlogy", "poisson_nll", _T, "torch.nn*", "bug",
        "With log_input=True it computes exp(input) - target * input literally: input = -inf with target = 0 "
        "gives 0 * -inf = NaN, where the loss exp(x) has the limit 0.",
        "torch/nn/functional.py poisson_nll_loss ('torch.exp(input) - target * input'), torch 2.14.1",
        check="value", cases=("nonfinite",), reductions=("none",)),
    Divergence(
        "torch-ciou-identical-alpha-nan", "ciou", _T, "torchvision.ops.complete_box_iou", "bug",
        "For identical boxes with eps = 0, alpha = v / (1 - IoU + v) is 0 / 0 = NaN, though alpha is in [0, 1] "
        "and v = 0, so the loss term alpha v has the limit 0 (the value and gradient come out NaN).",
        "torchvision/ops/boxes.py complete_box_iou (alpha = v / (1 - iou + v + eps)), torchvision 0.29.1",
        cases=("identical",)),
    Divergence(
        "torch-ciou-loss-identical-alpha-nan-float32", "ciou", _T, "torchvision.ops.complete_box_iou_loss", "bug",
        "In float32 the IoU of identical boxes rounds to 1 despite the 1e-7 in the union, so with eps = 0 "
        "alpha = v / (1 - IoU + v) is 0 / 0 = NaN where alpha v has the limit 0.",
        "torchvision/ops/ciou_loss.py complete_box_iou_loss, torchvision 0.29.1",
        cases=("identical",), dtypes=("float32",)),
    # ------------------------------------------------------------ precision
    Divergence(
        "torch-bce-logits-log1p-precision", "binary_cross_entropy_with_logits", _T, "torch.nn*", "precision",
        "The unreduced loss adds log(exp(-max) + exp(-x - max)) with a plain log, not log1p, so terms with "
        "|x| >> 1 and a small loss lose their relative accuracy (hundreds of units of the dtype).",
        f"{_LOSS_CPP} binary_cross_entropy_with_logits, torch 2.14.1",
        check="value", reductions=("none",), cases=("interior_8x5", "weight", "pos_weight")),
    Divergence(
        "torch-cross-entropy-log-softmax-precision", "cross_entropy", _T, "torch.nn*", "precision",
        "log_softmax computes x - max - log(sum exp(x - max)) with a plain log: for a confident row (logits 30, 0, "
        "0) the loss 2e-13 rounds to 0 (1 + 2e-13 = 1 in float32), where log1p keeps it.",
        "aten/src/ATen/native/SoftMax.cpp / cpu/SoftMaxKernel.cpp _vec_log_softmax (tmp_sum = log(sum)), "
        "torch 2.14.1",
        check="value", reductions=("none",), cases=("saturation_logits_1e4",)),
    Divergence(
        "torch-soft-margin-overflow-value", "soft_margin", _T, "torch.nn*", "precision",
        "soft_margin_loss computes log(1 + exp(-y x)) directly: exp overflows for -y x > 88 (float32) / 709 "
        "(float64) and the loss is inf where it is -y x.",
        f"{_LOSS_CPP} soft_margin_loss (at::log1p(at::exp(-input * target))), torch 2.14.1",
        check="value", cases=("saturation_logits_1e4", "extreme")),
    Divergence(
        "torch-soft-margin-overflow-grad", "soft_margin", _T, "torch.nn*", "precision",
        "The backward -y exp(-y x) / (1 + exp(-y x)) is inf / inf = NaN once exp(-y x) overflows, where the slope "
        "is -y.",
        f"{_LOSS_CPP} soft_margin_loss_backward, torch 2.14.1",
        check="grad", cases=("saturation_logits_1e4", "extreme", "nonfinite")),
    Divergence(
        "torch-multilabel-margin-margin-lost", "multilabel_margin", _T, "torch.nn*", "precision",
        "The hinge 1 - x[y] + x[j] is evaluated left to right, so (1 - 1e8) + 1e8 = 0 in float32: the margin is "
        "lost, the hinge reads as exactly met and the gradient as 0.",
        "aten/src/ATen/native/LossMultiLabelMargin.cpp (z = 1 - input_target + input[dt]), torch 2.14.1",
        check="grad", dtypes=("float32",), cases=("extreme",)),
    Divergence(
        "torch-sigmoid-focal-grad-overflow", "sigmoid_focal", _T, "torchvision.ops.sigmoid_focal_loss", "precision",
        "The chain rule through ce * (1 - p_t)^gamma forms ce * gamma (1 - p_t)^(gamma - 1) ~ 6e38, which overflows "
        "float32 to inf before the factor p (1 - p) = 0 multiplies it: inf * 0 = NaN for a logit of 3e38.",
        "torchvision/ops/focal_loss.py sigmoid_focal_loss (loss = ce_loss * ((1 - p_t) ** gamma)), "
        "torchvision 0.29.1",
        check="grad", dtypes=("float32",), reductions=("none", "sum"), cases=("extreme",)),
    Divergence(
        "torch-cosine-parallel-grad-residue", "cosine_embedding", _T, "torch.nn*", "precision",
        "For parallel vectors the gradient of 1 - cos is a difference of two terms of size 1 / |x| that cancel; "
        "torch's evaluation leaves a residue of one rounding of those terms, far above the exact ~1e-14.",
        f"{_LOSS_CPP} cosine_embedding_loss (autograd through prod_sum / sqrt(mag_square1 * mag_square2)), "
        "torch 2.14.1",
        check="grad", cases=("parallel_and_opposite",), dtypes=("float64",)),
    Divergence(
        "torch-cosine-parallel-grad-residue-float32", "cosine_embedding", _T, "torch.nn*", "precision",
        "The same cancellation in float32 (a residue ~4e-9 where the exact gradient is ~1e-14); the 'sum' "
        "cotangent happens to cancel it exactly, so only 'none' and 'mean' diverge.",
        f"{_LOSS_CPP} cosine_embedding_loss, torch 2.14.1",
        check="grad", cases=("parallel_and_opposite",), dtypes=("float32",), reductions=("none", "mean")),
    # ------------------------------------------------------------ different definitions at undefined points
    Divergence(
        "torch-bce-backward-epsilon", "binary_cross_entropy", _T, "torch.nn*", "different-definition",
        "The backward is defined as w (p - y) / max(p (1 - p), 1e-12) (a 'linear backward'), not the derivative "
        "of the clamped forward: at p within 1e-12 of 0 or 1 the gradient is ~1e12 instead of inf (or 0 under the "
        "clamp).",
        f"{_LOSS_CPP} binary_cross_entropy_backward (EPSILON = 1e-12); torch/nn/modules/loss.py BCELoss docstring, "
        "torch 2.14.1",
        check="grad", cases=("saturation", "extreme")),
    Divergence(
        "torch-ctc-impossible-grad-nan", "ctc", _T, "torch.nn*", "different-definition",
        "A sample no alignment fits has loss +inf; without zero_infinity torch returns NaN gradients for it, where "
        "the reference takes 0 (p is 0 in a whole neighbourhood); the derivative of the constant inf is undefined.",
        "torch/nn/modules/loss.py CTCLoss docstring (zero_infinity: 'Whether to zero infinite losses and the "
        "associated gradients'), torch 2.14.1",
        check="grad", cases=("impossible_alignment",)),
    Divergence(
        "torch-box-zero-area-nan", "*iou", _T, _BOX, "different-definition",
        "Two identical zero-area boxes have union 0: torchvision (eps = 0) computes 0 / 0 = NaN (and atan(0 / 0) "
        "for a point box's aspect), where the reference reads 0 / 0 as 0, the eps -> 0+ limit of torchvision's "
        "own eps form; the definition has no limit there.",
        "torchvision/ops/_utils.py _loss_inter_union and torchvision/ops/boxes.py box_iou (inter / union), "
        "torchvision 0.29.1",
        cases=("degenerate_zero_width",)),
    Divergence(
        "torch-iou-log-disjoint-grad-nan", "iou", _T, "torchvision.ops.box_iou", "different-definition",
        "-log IoU is +inf for disjoint boxes; its gradient through torch is -1/IoU * dIoU = inf * 0 = NaN, where "
        "the reference takes 0 (IoU is 0 in a neighbourhood).",
        "torchvision/ops/boxes.py box_iou, torchvision 0.29.1 (the log is the composed binding's)",
        check="grad", cases=("log_form",)),
    # ------------------------------------------------------------ bad input the framework accepts
    Divergence(
        "torch-bce-logits-no-target-check", "binary_cross_entropy_with_logits", _T, "torch.nn*", "bug",
        "Targets documented as probabilities are not checked (BCELoss checks them, BCEWithLogitsLoss does not): "
        "y = 1.5 gives a finite, possibly negative, loss.",
        f"{_LOSS_CPP} binary_cross_entropy_with_logits (no range check; binary_cross_entropy_out_cpu has one), "
        "torch 2.14.1",
        check="error", cases=("target_outside_0_1",)),
    Divergence(
        "torch-cross-entropy-no-probability-check", "cross_entropy", _T, "torch.nn*", "bug",
        "Class-probability targets are not checked to lie in [0, 1]: negative entries silently give a finite loss.",
        "aten/src/ATen/native/LossNLL.cpp cross_entropy_loss_prob_target (no range check), torch 2.14.1",
        check="error", cases=("prob_target_outside_0_1",)),
    Divergence(
        "torch-kl-div-no-target-check", "kl_div", _T, "torch.nn*", "bug",
        "Targets are not checked to be probabilities: a negative target reaches xlogy and gives NaN silently.",
        f"{_LOSS_CPP} kl_div (target * (log(target) - input) via xlogy), torch 2.14.1",
        check="error", cases=("target_outside_0_1",)),
    Divergence(
        "torch-multilabel-soft-margin-no-target-check", "multilabel_soft_margin", _T, "torch.nn*", "bug",
        "Targets documented as {0, 1} are not checked: {-1, 1} labels give a finite, negative-weighted loss.",
        "torch/nn/functional.py multilabel_soft_margin_loss (no check), torch 2.14.1",
        check="error", cases=("target_outside_0_1",)),
    Divergence(
        "torch-focal-no-target-check", "sigmoid_focal", _T, "torchvision.ops.sigmoid_focal_loss", "bug",
        "Targets outside {0, 1} / [0, 1] are not checked: the formula returns a finite loss for them.",
        "torchvision/ops/focal_loss.py sigmoid_focal_loss, torchvision 0.29.1",
        check="error", cases=("target_outside_0_1",)),
    Divergence(
        "torch-no-sign-label-check", "*", _T, "torch.nn*", "bug",
        "Labels documented as 1 or -1 are not checked: y = 0 (or {0, 1} labels) silently gives a loss from the "
        "formula's other branches or a zero.",
        "torch/nn/modules/loss.py SoftMarginLoss / HingeEmbeddingLoss / MarginRankingLoss / CosineEmbeddingLoss "
        "docstrings ('1 or -1'), torch 2.14.1",
        check="error", cases=("y_zero", "target_zero_one")),
    Divergence(
        "torch-margin-ranking-broadcasts", "margin_ranking", _T, "torch.nn*", "convention",
        "Mismatched x1 / x2 shapes are broadcast (a (1,) input against (2,)) instead of rejected.",
        "torch/nn/functional.py margin_ranking_loss (broadcasting through the elementwise ops), torch 2.14.1",
        check="error", cases=("shape_mismatch",)),
    Divergence(
        "torch-multilabel-margin-duplicate-label", "multilabel_margin", _T, "torch.nn*", "bug",
        "A label listed twice before the -1 terminator is not rejected; it is counted twice.",
        "aten/src/ATen/native/LossMultiLabelMargin.cpp, torch 2.14.1",
        check="error", cases=("duplicate_label",)),
    Divergence(
        "torch-poisson-nll-no-domain-check", "poisson_nll", _T, "torch.nn*", "bug",
        "Negative counts and negative rates are not checked: the formula returns a finite value, or NaN from the "
        "log of a negative rate.",
        "torch/nn/functional.py poisson_nll_loss, torch 2.14.1",
        check="error", cases=("negative_count", "negative_rate", "rate_input_negative_count")),
    Divergence(
        "torch-box-malformed-not-checked", "*iou", _T, _BOX, "bug",
        "A box with x2 < x1 is not rejected (torchvision only documents 0 <= x1 < x2): its negative width enters "
        "the areas and a finite loss comes out.",
        "torchvision/ops/boxes.py / giou_loss.py / diou_loss.py / ciou_loss.py docstrings, torchvision 0.29.1",
        check="error", cases=("x2_less_than_x1",)),
    Divergence(
        "torch-ctc-blank-label-accepted", "ctc", _T, "torch.nn*", "bug",
        "A target label equal to blank is not rejected (the docs say targets cannot be blank); a finite loss "
        "comes out.",
        "torch/nn/modules/loss.py CTCLoss docstring ('Each element in the target sequence is a class index. And "
        "the target index cannot be blank'), torch 2.14.1",
        check="error", cases=("label_is_blank",)),
    Divergence(
        "torch-pairwise-distance-p-zero", "triplet_margin", _T, "torch.nn*", "convention",
        "p = 0 is accepted: torch's p-norm at 0 counts the non-zero entries (torch.linalg.vector_norm, ord=0), "
        "where the reference requires p > 0.",
        "torch/nn/functional.py pairwise_distance / torch.linalg.vector_norm docs (ord=0), torch 2.14.1",
        check="error", cases=("p_zero",)),
]
