"""Known divergences of torch from the reference (see conformance/registry.py for the fields).

Versions checked: torch 2.14.1, torchvision 0.29.1 (the installed sources are cited by path).
"""

from ..registry import Cells, Divergence, Raises, Reproduces, Signature, Units, shorthands

_LOSS_CPP = "aten/src/ATen/native/Loss.cpp"


_d, _unchecked = shorthands("torch")


DIVERGENCES: list[Divergence] = [
    # ------------------------------------------------------------ bugs
    _d("torch-ctc-grad-is-logits-grad", "bug",
       Cells(losses="ctc", checks="grad", cases=("interior_T12_N3_C5", "repeats", "blank_last", "blank_2",
                                                 "concatenated_targets", "empty_target", "impossible_zero_infinity",
                                                 "impossible_repeats_zero_infinity", "unnormalized_log_probs")),
       Reproduces({"log_softmax_grad": True}),
       "The CTC backward returns exp(log_probs) - posterior occupancy, the gradient w.r.t. logits z with "
       "log_probs = log_softmax(z), not w.r.t. log_probs (the value is right).",
       "https://github.com/pytorch/pytorch/issues/52241 (also #82545, #181534: 'module: correctness (silent)')"),
    _d("torch-kl-div-target-gradient-nan-at-zero", "bug",
       Cells(losses="kl_div", checks="grad", cases=("target_zero", "saturation")), Signature(("nan/inf",)),
       "kl_div forms t log t as xlogy(target, target), whose gradient w.r.t. its second argument is x / y: at a "
       "zero target that is 0 / 0, so the target's gradient is NaN where it is -inf (log t + 1 - x; float32 "
       "saturation: its 1e-300 is 0 there).  Measured: torch.xlogy(t, t) and t * log(t) give NaN at 0 too.",
       f"torch 2.14.1 {_LOSS_CPP} kl_div (xlogy(target, target) - target * input); tools/autograd/derivatives.yaml "
       "xlogy.Tensor (other: grad * self / other)"),
    _d("torch-l1-nan-grad-zero", "bug", Cells(losses="l1", checks="grad", cases="nonfinite"), Signature(("0/nan",)),
       "The backward multiplies by sign(input - target) and torch's sign(NaN) is 0, so a NaN input or target "
       "gets gradient 0 instead of NaN.",
       f"{_LOSS_CPP} / tools/autograd/derivatives.yaml l1_loss (grad * sgn(self - target)), torch 2.14.1"),
    _d("torch-bce-nan-input-raises", "bug", Cells(losses="binary_cross_entropy", cases="nonfinite"),
       Raises("all elements of input should be between 0 and 1"),
       "The range check 'input >= 0 && input <= 1' is false for NaN, so a NaN probability raises instead of "
       "propagating a NaN loss.",
       f"{_LOSS_CPP} binary_cross_entropy_out_cpu (TORCH_CHECK 'all elements of input should be between 0 and "
       "1'), torch 2.14.1"),
    _d("torch-bce-logits-infinite-logit-nan", "bug",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", cases="nonfinite", reductions="none"),
       Signature(("nan/inf",)),
       "The stable form (1 - y) x + max(-x, 0) + log(exp(-max) + exp(-x - max)) computes inf - inf for x = -inf, "
       "y = 1: NaN where the loss is +inf.",
       f"{_LOSS_CPP} binary_cross_entropy_with_logits, torch 2.14.1"),
    _d("torch-cross-entropy-all-ignored-grad-zero", "bug",
       Cells(losses="cross_entropy", checks="grad", cases="all_ignored", reductions="mean"), Signature(("0/nan",)),
       "With every target ignored, 'mean' is 0 / 0 = NaN, but the backward only writes the non-ignored entries "
       "(-w / total_weight), so the gradient is 0 while the value is NaN.",
       "aten/src/ATen/native/LossNLL.cpp nll_loss_backward_out_frame (skips target == ignore_index), torch 2.14.1"),
    _d("torch-multilabel-margin-nan-dropped", "bug",
       Cells(losses="multilabel_margin", checks="value", cases="nonfinite"), Signature(("finite/nan", "inf/nan")),
       "Each hinge term is added only 'if (z > 0)', and NaN > 0 is false, so a NaN input is dropped from the sum "
       "(a finite loss, or inf from the case's infinite input) instead of giving NaN.",
       "aten/src/ATen/native/LossMultiLabelMargin.cpp multilabel_margin_loss_forward_out_frame, torch 2.14.1"),
    _d("torch-poisson-nll-no-xlogy", "bug",
       (Cells(losses="poisson_nll", cases="zero_rate"),
        Cells(losses="poisson_nll", checks="value", cases="nonfinite", reductions="none")),
       Signature(("nan/finite", "nan/inf")),
       "poisson_nll_loss evaluates target * log(input + eps) (log_input=False) and target * input (log_input=True) "
       "literally, with no 0 log 0 = 0 convention: at input = target = 0 (eps = 0), or input = -inf with target = 0, "
       "that is 0 * -inf = NaN where the loss has the limit 0 (and the slope 1).",
       "torch/nn/functional.py poisson_nll_loss ('input - target * torch.log(input + eps)', "
       "'torch.exp(input) - target * input'), torch 2.14.1"),
    _d("torch-ciou-identical-alpha-nan", "bug",
       (Cells(apis="torchvision.ops.complete_box_iou", cases="identical"),
        Cells(apis="torchvision.ops.complete_box_iou_loss", cases="identical", dtypes="float32")),
       Signature(("nan/finite",), units={"float32": 1e6}),
       "For identical boxes with eps = 0, alpha = v / (1 - IoU + v) is 0 / 0 = NaN, though alpha is in [0, 1] and "
       "v = 0, so the term alpha v has the limit 0 (value and gradient come out NaN).  complete_box_iou_loss adds "
       "1e-7 to the union, which keeps 1 - IoU > 0 in float64 only: in float32 the IoU still rounds to 1, and the "
       "other sample's 1 - IoU comes out 2^-23 = 1.19e-7 for the convention's 1e-7 (5.4e5 units).",
       "torchvision/ops/boxes.py complete_box_iou (alpha = v / (1 - iou + v + eps)), torchvision/ops/ciou_loss.py "
       "complete_box_iou_loss, torchvision 0.29.1"),
    _d("torch-soft-margin-overflow", "bug",
       (Cells(losses="soft_margin", checks="value", cases=("saturation_logits_1e4", "extreme")),
        Cells(losses="soft_margin", checks="grad", cases=("saturation_logits_1e4", "extreme", "nonfinite"))),
       Signature(("inf/finite", "nan/finite")),
       "soft_margin_loss computes log(1 + exp(-y x)) directly: exp overflows for -y x > 88 (float32) / 709 "
       "(float64), so the loss is inf where it is -y x, and the backward -y exp(-y x) / (1 + exp(-y x)) is "
       "inf / inf = NaN where the slope is -y.",
       f"{_LOSS_CPP} soft_margin_loss (at::log1p(at::exp(-input * target))) and soft_margin_loss_backward, "
       "torch 2.14.1"),
    _d("torch-sigmoid-focal-grad-overflow", "bug",
       Cells(losses="sigmoid_focal", checks="grad", dtypes="float32", reductions=("none", "sum"), cases="extreme"),
       Signature(("nan/finite",)),
       "The chain rule through ce * (1 - p_t)^gamma forms ce * gamma (1 - p_t)^(gamma - 1) ~ 6e38, which overflows "
       "float32 to inf before the factor p (1 - p) = 0 multiplies it: inf * 0 = NaN for a logit of 3e38.",
       "torchvision/ops/focal_loss.py sigmoid_focal_loss (loss = ce_loss * ((1 - p_t) ** gamma)), torchvision 0.29.1"),
    # ------------------------------------------------------------ precision
    _d("torch-bce-logits-log1p-precision", "precision",
       Cells(losses="binary_cross_entropy_with_logits", checks="value", reductions="none",
             cases=("interior_8x5", "weight", "pos_weight")),
       Units({"float32": 400, "float64": 200}),
       "The unreduced loss adds log(exp(-max) + exp(-x - max)) with a plain log, not log1p, so terms with "
       "|x| >> 1 and a small loss lose their relative accuracy (hundreds of units of the dtype).",
       f"{_LOSS_CPP} binary_cross_entropy_with_logits, torch 2.14.1"),
    _d("torch-cross-entropy-log-softmax-precision", "precision",
       Cells(losses="cross_entropy", checks="value", reductions="none", cases="saturation_logits_1e4"),
       Units({"float32": 3e5, "float64": 2e11}),
       "log_softmax computes x - max - log(sum exp(x - max)) with a plain log: for a confident row (logits 30, 0, "
       "0) the loss 2e-13 rounds to 0 (1 + 2e-13 = 1 in float32), where log1p keeps it: all of the value is lost.",
       "aten/src/ATen/native/SoftMax.cpp / cpu/SoftMaxKernel.cpp _vec_log_softmax (tmp_sum = log(sum)), "
       "torch 2.14.1"),
    _d("torch-multilabel-margin-margin-lost", "precision",
       Cells(losses="multilabel_margin", checks="grad", dtypes="float32", cases="extreme"), Units(1e7),
       "The hinge 1 - x[y] + x[j] is evaluated left to right, so (1 - 1e8) + 1e8 = 0 in float32: the margin is "
       "lost, the hinge reads as exactly met and the gradient as 0.",
       "aten/src/ATen/native/LossMultiLabelMargin.cpp (z = 1 - input_target + input[dt]), torch 2.14.1"),
    _d("torch-cosine-parallel-grad-residue", "precision",
       (Cells(losses="cosine_embedding", checks="grad", cases="parallel_and_opposite", dtypes="float64"),
        Cells(losses="cosine_embedding", checks="grad", cases="parallel_and_opposite", dtypes="float32",
              reductions=("none", "mean"))),
       Units({"float32": 2e13, "float64": 3e13}),
       "For parallel vectors the gradient of 1 - cos is a difference of two terms of size 1 / |x| that cancel; "
       "torch's evaluation leaves a residue of one rounding of those terms (~4e-9 in float32), far above the exact "
       "~1e-14.  In float32 the 'sum' cotangent happens to cancel it exactly.",
       f"{_LOSS_CPP} cosine_embedding_loss (autograd through prod_sum / sqrt(mag_square1 * mag_square2)), "
       "torch 2.14.1"),
    # ------------------------------------------------------------ different definitions at undefined points
    _d("torch-bce-backward-epsilon", "different-definition",
       Cells(losses="binary_cross_entropy", checks="grad", cases=("saturation", "extreme")),
       Units({"float32": 2e8, "float64": 7e16}),
       "The backward is defined as w (p - y) / max(p (1 - p), 1e-12) (a 'linear backward'), not the derivative "
       "of the clamped forward: at p within 1e-12 of 0 or 1 the gradient is ~1e12 instead of 0 under the clamp.",
       f"{_LOSS_CPP} binary_cross_entropy_backward (EPSILON = 1e-12); torch/nn/modules/loss.py BCELoss docstring, "
       "torch 2.14.1"),
    _d("torch-ctc-impossible-grad-nan", "different-definition",
       Cells(losses="ctc", checks="grad", cases="impossible_alignment"),
       Signature(("nan/finite",), params={"log_softmax_grad": True}),
       "A sample no alignment fits has loss +inf; without zero_infinity torch returns NaN gradients for it, where "
       "the reference takes 0 (p is 0 in a whole neighbourhood); the derivative of the constant inf is undefined.  The "
       "other samples' gradients are the logits gradient of torch-ctc-grad-is-logits-grad.",
       "torch/nn/modules/loss.py CTCLoss docstring (zero_infinity: 'Whether to zero infinite losses and the "
       "associated gradients'), torch 2.14.1"),
    _d("torch-box-zero-area-nan", "different-definition",
       Cells(losses=("iou", "giou", "diou", "ciou"), cases="degenerate_zero_width"),
       Signature(("nan/finite",), units={"float32": 1e7, "float64": 5e15}),
       "Two identical zero-area boxes have union 0: torchvision (eps = 0) computes 0 / 0 = NaN (and atan(0 / 0) "
       "for a point box's aspect), where the reference reads 0 / 0 as 0, the eps -> 0+ limit of torchvision's "
       "own eps form; the definition has no limit there.  Beside the NaN some finite gradient components of the "
       "case are off by up to the gradient's own size (in part a touching pair, a kink the case does not tag, "
       "where torchvision takes a one-sided gradient).",
       "torchvision/ops/_utils.py _loss_inter_union and torchvision/ops/boxes.py box_iou (inter / union), "
       "torchvision 0.29.1"),
    _d("torch-iou-log-disjoint-grad-nan", "different-definition",
       Cells(apis="torchvision.ops.box_iou", checks="grad", cases="log_form"), Signature(("nan/finite",)),
       "-log IoU is +inf for disjoint boxes; its gradient through torch is -1/IoU * dIoU = inf * 0 = NaN, where "
       "the reference takes 0 (IoU is 0 in a neighbourhood).",
       "torchvision/ops/boxes.py box_iou, torchvision 0.29.1 (the log is the composed binding's)"),
    # ------------------------------------------------------------ bad input the framework accepts
    _unchecked("torch-bce-logits-no-target-check",
               Cells(losses="binary_cross_entropy_with_logits", checks="error", cases="target_outside_0_1"),
               ("finite",),
               "Targets documented as probabilities are not checked (BCELoss checks them, BCEWithLogitsLoss does "
               "not): y = 1.5 gives a finite, possibly negative, loss.",
               f"{_LOSS_CPP} binary_cross_entropy_with_logits (no range check; binary_cross_entropy_out_cpu has one), "
               "torch 2.14.1"),
    _unchecked("torch-cross-entropy-no-probability-check",
               Cells(losses="cross_entropy", checks="error", cases="prob_target_outside_0_1"), ("finite",),
               "Class-probability targets are not checked to lie in [0, 1]: negative entries silently give a finite "
               "loss.",
               "aten/src/ATen/native/LossNLL.cpp cross_entropy_loss_prob_target (no range check), torch 2.14.1"),
    _unchecked("torch-kl-div-no-target-check", Cells(losses="kl_div", checks="error", cases="target_outside_0_1"),
               ("non-finite",),
               "Targets are not checked to be probabilities: a negative target reaches xlogy and gives NaN silently.",
               f"{_LOSS_CPP} kl_div (target * (log(target) - input) via xlogy), torch 2.14.1"),
    _unchecked("torch-multilabel-soft-margin-no-target-check",
               Cells(losses="multilabel_soft_margin", checks="error", cases="target_outside_0_1"), ("finite",),
               "Targets documented as {0, 1} are not checked: {-1, 1} labels give a finite, negative-weighted loss.",
               "torch/nn/functional.py multilabel_soft_margin_loss (no check), torch 2.14.1"),
    _unchecked("torch-focal-no-target-check", Cells(losses="sigmoid_focal", checks="error", cases="target_outside_0_1"),
               ("finite",), "Targets outside {0, 1} / [0, 1] are not checked: the formula returns a finite loss.",
               "torchvision/ops/focal_loss.py sigmoid_focal_loss, torchvision 0.29.1"),
    _unchecked("torch-no-sign-label-check", Cells(checks="error", cases=("y_zero", "target_zero_one")), ("finite",),
               "Labels documented as 1 or -1 are not checked: y = 0 (or {0, 1} labels) silently gives a loss from the "
               "formula's other branches or a zero.",
               "torch/nn/modules/loss.py SoftMarginLoss / HingeEmbeddingLoss / MarginRankingLoss / "
               "CosineEmbeddingLoss docstrings ('1 or -1'), torch 2.14.1"),
    _unchecked("torch-margin-ranking-broadcasts",
               Cells(losses="margin_ranking", checks="error", cases="shape_mismatch"), ("finite",),
               "Mismatched x1 / x2 shapes are broadcast (a (1,) input against (2,)) instead of rejected.",
               "torch/nn/functional.py margin_ranking_loss (broadcasting through the elementwise ops), torch 2.14.1"),
    _unchecked("torch-multilabel-margin-duplicate-label",
               Cells(losses="multilabel_margin", checks="error", cases="duplicate_label"), ("finite",),
               "A label listed twice before the -1 terminator is not rejected; it is counted twice.",
               "aten/src/ATen/native/LossMultiLabelMargin.cpp, torch 2.14.1"),
    _unchecked("torch-poisson-nll-no-domain-check",
               Cells(losses="poisson_nll", checks="error",
                     cases=("negative_count", "negative_rate", "rate_input_negative_count")),
               ("finite", "nan"),
               "Negative counts and negative rates are not checked: the formula returns a finite value, or NaN from "
               "the log of a negative rate.",
               "torch/nn/functional.py poisson_nll_loss, torch 2.14.1"),
    _unchecked("torch-box-malformed-not-checked", Cells(checks="error", cases="x2_less_than_x1"), ("finite",),
               "A box with x2 < x1 is not rejected (torchvision only documents 0 <= x1 < x2): its negative width "
               "enters the areas and a finite loss comes out.",
               "torchvision/ops/boxes.py / giou_loss.py / diou_loss.py / ciou_loss.py docstrings, torchvision 0.29.1"),
    _unchecked("torch-ctc-blank-label-accepted", Cells(losses="ctc", checks="error", cases="label_is_blank"),
               ("finite",),
               "A target label equal to blank is not rejected (the docs say targets cannot be blank); a finite loss "
               "comes out.",
               "torch/nn/modules/loss.py CTCLoss docstring ('Each element in the target sequence is a class index. "
               "And the target index cannot be blank'), torch 2.14.1"),
    _unchecked("torch-pairwise-distance-p-zero", Cells(losses="triplet_margin", checks="error", cases="p_zero"),
               ("finite",),
               "p = 0 is accepted: torch's p-norm at 0 counts the non-zero entries (torch.linalg.vector_norm, ord=0), "
               "where the reference requires p > 0.",
               "torch/nn/functional.py pairwise_distance / torch.linalg.vector_norm docs (ord=0), torch 2.14.1"),
]

# ---------------------------------------------------------------- beyond the documents (issue 11)

_MULTI_MARGIN = "aten/src/ATen/native/LossMultiMargin.cpp"

DIVERGENCES += [
    _d("torch-multi-margin-nan-dropped", "bug",
       Cells(losses="multi_margin", checks="value", cases="nonfinite"), Signature(("finite/nan",)),
       "Each margin term is added only 'if (z > 0)', and NaN > 0 is false, so a NaN score is dropped from the sum "
       "(a finite loss) instead of giving NaN; as torch-multilabel-margin-nan-dropped.",
       f"{_MULTI_MARGIN} multi_margin_inner_sum_cpu (if (z > 0)), torch 2.14.1"),
    # ------------------------------------------------------------ (N, 1) against (N,) (issue 10: shapes as users pass)
    _unchecked("torch-broadcasts-mismatched-shapes",
               Cells(losses=("l1", "mse", "smooth_l1", "huber", "poisson_nll", "kl_div"), checks="error",
                     cases="shape_broadcasts"), ("finite",),
               "An (N, 1) input against an (N,) target is broadcast to (N, N): every input paired with every target "
               "(measured: shape (8, 8) for 'none'), with a UserWarning 'Using a target size ... that is different to "
               "the input size' (l1, mse, smooth_l1, huber) or none (kl_div, poisson_nll); the binary cross "
               "entropies, soft margin and torchvision's focal loss raise.",
               "torch 2.14.1 torch/nn/functional.py l1_loss, mse_loss, huber_loss (torch.broadcast_tensors; "
               "warnings.warn('Using a target size ...'))"),
]
