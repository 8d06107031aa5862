"""Known divergences of the optax stack from the reference (see conformance/registry.py for the fields).

Versions checked: optax 0.2.8, jax 0.10.2 (the sources under site-packages).  Bindings are named by their exact
ids ("api[variant]").
"""

from ..registry import Cells, Divergence, Raises, Signature, Units, shorthands

CLS = "optax 0.2.8 optax/losses/_classification.py"
SEG = "optax 0.2.8 optax/losses/_segmentation.py"
SELF = "optax 0.2.8 optax/losses/_self_supervised.py"
LSE = "jax 0.10.2 jax/_src/ops/special.py logsumexp"
VALUE_GRAD = ("value", "grad")
INTEGER_CE = "optax.losses.softmax_cross_entropy_with_integer_labels"
DICE_PROBS = "optax.losses.binary_dice_loss[apply_sigmoid=False]"


_d, _unchecked = shorthands("optax")


DIVERGENCES: list[Divergence] = [
    _d("optax-binary-dice-probabilities-raise", "bug",
       Cells(apis=DICE_PROBS, checks=VALUE_GRAD,
             cases=("probabilities", "probabilities_empty_target_rows", "probabilities_kdim_2x3x4x4",
                    "probabilities_nonfinite", "probabilities_saturated", "probabilities_smooth_0")),
       Raises("predictions must be valid probability distributions|unsupported format string"),
       "binary_dice_loss(apply_sigmoid=False) calls dice_loss(apply_softmax=False), which checks that the "
       "predictions sum to 1 over the class axis: binary_dice_loss has added a class axis of size 1, so the check "
       "is p == 1 and any real probability raises ValueError; under jax.vjp or jit the check's message formats "
       "a tracer and raises TypeError instead.  Only an empty batch passes.", f"{SEG} dice_loss, binary_dice_loss"),
    _d("optax-integer-ce-log-not-log1p", "precision",
       Cells(apis=INTEGER_CE, checks="value", cases="saturation_logits_1e4", reductions="none"),
       Units({"float32": 3e5, "float64": 2e12}),
       "logsumexp(x) - x_y subtracts two nearly equal numbers where the loss is tiny (a saturated softmax): "
       "log(1 + e^-30) = 9e-14 is lost next to the logits' 1e4 scale (all of it in float32, most in float64).",
       f"{CLS} softmax_cross_entropy_with_integer_labels (log_normalizers - label_logits)"),
    _d("optax-logsumexp-infinite-max-gradient", "different-definition",
       Cells(apis=INTEGER_CE, checks="grad", cases="nonfinite"), Signature(("0/nan",)),
       "jax.nn.logsumexp replaces an infinite max by 0 before exp (lax.select(isfinite(amax), amax, 0)), so in a "
       "row holding a +inf logit the other classes' softmax, and gradient, is exp(x) / inf = 0 (the limit), where "
       "the reference's softmax of that row is inf / inf = NaN.", f"{LSE}; {CLS} softmax_cross_entropy_with_integer_"
       "labels"),
    _d("optax-kl-float32-cancellation", "precision",
       Cells(apis="optax.losses.kl_divergence", checks="value", cases="extreme", dtypes="float32", reductions="none"),
       Units({"float32": 5e6}),
       "kl_divergence computes targets * (log(targets) - log_predictions): where the two logs nearly cancel the "
       "float32 rounding of log(targets) is all that is left.", f"{CLS} kl_divergence"),
    _d("optax-focal-gradient-overflow", "bug",
       Cells(apis="optax.losses.sigmoid_focal_loss", checks="grad", cases="extreme", dtypes="float32",
             reductions=("none", "sum")),
       Signature(("nan/finite",)),
       "At x = 3e38 (y = 0) the product rule multiplies the focal weight exp(gamma log(1 - p_t)), whose slope there "
       "is 0, by the cross entropy 3e38 times the cotangent (inf in float32): inf * 0 = NaN.",
       f"{CLS} sigmoid_focal_loss"),
    _d("optax-triplet-sqrt-at-zero", "bug",
       Cells(apis="optax.losses.triplet_margin_loss", checks="grad", cases="zero_distance"),
       Signature(("nan/0", "nan/finite")),
       "The distance (sum (a - p)^2 + eps)^(1/2) with eps = 0 (the pure distance; optax's default eps=1e-6 shifts "
       "every value) has an infinite slope at a zero distance, and jax multiplies it by the zero slope of the "
       "difference: NaN where the reference takes the subgradient 0.", f"{SELF} triplet_margin_loss"),
    _d("optax-ctc-log-epsilon-finite", "different-definition",
       Cells(apis="optax.losses.ctc_loss", checks=VALUE_GRAD, cases="impossible_alignment"),
       Signature(("finite/inf",), units={"float32": 1e7, "float64": 5e15}),
       "ctc_loss stands for log 0 with log_epsilon=-1e5, so a target no alignment fits gets a large finite loss "
       "(about 1e5 per impossible step) with a nonzero gradient instead of inf.", f"{CLS} ctc_loss_with_forward_probs"),
    # ------------------------------------------------------------ bad input accepted (error cells)
    _unchecked("optax-bce-no-target-check",
               Cells(apis="optax.losses.sigmoid_binary_cross_entropy", checks="error", cases="target_outside_0_1"),
               ("finite",), "Targets outside [0, 1] are not checked: the formula is evaluated with them.",
               f"{CLS} sigmoid_binary_cross_entropy"),
    _unchecked("optax-focal-no-target-check",
               Cells(apis="optax.losses.sigmoid_focal_loss", checks="error", cases="target_outside_0_1"),
               ("finite", "non-finite"),
               "Targets outside [0, 1] are not checked: the focal formula is evaluated with them (the logsumexp "
               "with negative weights gives NaN for some).", f"{CLS} sigmoid_focal_loss"),
    _unchecked("optax-softmax-ce-no-target-check",
               Cells(apis=("optax.losses.softmax_cross_entropy", "optax.losses.safe_softmax_cross_entropy"),
                     checks="error", cases="prob_target_outside_0_1"),
               ("finite",), "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated.",
               f"{CLS} softmax_cross_entropy, safe_softmax_cross_entropy"),
    _unchecked("optax-class-index-unchecked",
               Cells(apis=(INTEGER_CE, "optax.losses.multiclass_hinge_loss"), checks="error",
                     cases="class_out_of_range"),
               ("finite", "non-finite"),
               "Class indices outside [0, C) are not checked: take_along_axis clamps or fills the out-of-range "
               "gather (NaN for the cross entropy) and one_hot gives a zero row (the hinge's true score is 0).",
               f"{CLS} softmax_cross_entropy_with_integer_labels, multiclass_hinge_loss"),
    _unchecked("optax-hinge-no-label-check",
               Cells(apis="optax.losses.hinge_loss[binary]", checks="error", cases="labels_0_1"), ("finite",),
               "{0, 1} labels are not checked: max(0, 1 - y f) is evaluated with y = 0 (a loss of 1).",
               f"{CLS} hinge_loss"),
    _unchecked("optax-kl-no-target-check",
               Cells(apis="optax.losses.kl_divergence", checks="error", cases="target_outside_0_1"), ("non-finite",),
               "Targets outside [0, 1] are not checked: a negative target gives log of a negative number, NaN.",
               f"{CLS} kl_divergence"),
    _unchecked("optax-dice-no-target-check",
               Cells(apis="optax.losses.binary_dice_loss[apply_sigmoid=True]", checks="error",
                     cases="target_outside_0_1"),
               ("finite",), "Targets outside [0, 1] are not checked: the ratio is evaluated with them.",
               f"{SEG} dice_loss"),
    _unchecked("optax-ctc-label-equal-to-blank",
               Cells(apis="optax.losses.ctc_loss", checks="error", cases="label_is_blank"), ("finite",),
               "A label equal to blank_id is not rejected: it is emitted like any label and a number comes back.",
               f"{CLS} ctc_loss_with_forward_probs"),
]

# ---------------------------------------------------------------- beyond the documents, batch 2 (issue 11): sparsemax,
# generalized dice, NT-Xent, ranking softmax

PROJ = "optax 0.2.8 optax/projections/_projections.py"
RANK = "optax 0.2.8 optax/losses/_ranking.py"
SPARSEMAX = "optax.losses.multiclass_sparsemax_loss"

DIVERGENCES += [
    _d("optax-sparsemax-float32-jvp-dtype", "bug",
       Cells(apis=SPARSEMAX, checks="grad", dtypes="float32"),
       Raises("Custom JVP rule must produce primal and tangent outputs with corresponding shapes and dtypes"),
       "With jax_enable_x64 (the stack's float64 setting), _projection_unit_simplex forms s / idx with the integer "
       "count idx, which promotes the float32 projection to float64; its custom JVP returns the tangent in the "
       "input's float32, and jax rejects the mismatch: no gradient of float32 scores (the value comes back in "
       "float64).", f"{PROJ} _projection_unit_simplex, _projection_unit_simplex_jvp"),
    _d("optax-ntxent-log-not-log1p", "precision",
       Cells(apis="optax.losses.ntxent", checks="value", cases="aligned_saturated"),
       Units({"float32": 1e6, "float64": 1e6}),
       "ntxent forms -(s_ij - max - log(sum e^(s - max))): where the positive dominates the denominator the loss "
       "is log(1 + tiny) (here 6e-7), and the log of a sum near 1 keeps only its absolute accuracy (no log1p).",
       f"{SELF} ntxent (log_softm = numer - jnp.log(denom))"),
    _d("optax-ntxent-zero-gradient-residue", "precision",
       Cells(apis="optax.losses.ntxent", checks="grad", cases="no_negatives", dtypes="float64"),
       Units({"float64": 1e307}),
       "Without negatives every pair's loss is log(e^s / e^s) = 0 and the gradient is exactly 0; optax's "
       "gradient, 1 - e^s / e^s through the cosines, leaves a rounding residue of 3e-17, measured against a zero "
       "scale (hence the units; the absolute error is a few float64 ulps of 1).",
       f"{SELF} ntxent"),
    _d("optax-ranking-mean-of-no-list", "different-definition",
       Cells(apis="optax.losses.ranking_softmax_loss", checks="value", cases="empty", reductions="mean"),
       Signature(("0/nan",)),
       "_safe_reduce replaces the NaN of a mean over no list (an empty batch, or every list masked) by 0 where the "
       "reference's mean of nothing is NaN.", f"{RANK} _safe_reduce"),
    _unchecked("optax-sparsemax-labels-unchecked",
               Cells(apis=(SPARSEMAX, "optax.losses.sparsemax_loss[binary]"), checks="error",
                     cases=("class_out_of_range", "binary_target_2")), ("finite",),
               "Labels are not checked: a class index past C reads a clamped score (.at[label]), and the binary "
               "loss takes any nonzero label as 1 (jnp.where(labels, -logits, logits)).",
               f"{CLS} multiclass_sparsemax_loss, sparsemax_loss"),
    _unchecked("optax-generalized-dice-negative-smooth",
               Cells(apis="optax.losses.multiclass_generalized_dice_loss[apply_softmax=True]", checks="error",
                     cases="negative_smooth"), ("finite",),
               "smooth is not checked: a negative smooth enters the ratio as it is.",
               f"{SEG} multiclass_generalized_dice_loss, dice_loss"),
    _unchecked("optax-ntxent-temperature-unchecked",
               Cells(apis="optax.losses.ntxent", checks="error", cases="temperature_0"), ("nan",),
               "temperature is not checked: cos / 0 gives inf logits and the loss NaN.", f"{SELF} ntxent"),
    _unchecked("optax-ranking-labels-unchecked",
               Cells(apis="optax.losses.ranking_softmax_loss", checks="error",
                     cases=("negative_label", "weights_shape")),
               ("finite",),
               "Labels and weights are not checked: a negative relevance enters -sum y log p as it is, and weights of "
               "shape (L,) broadcast over the lists.", f"{RANK} ranking_softmax_loss"),
]
