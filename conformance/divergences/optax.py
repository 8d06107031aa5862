"""Known divergences of the optax stack from the reference (see conformance/registry.py for the fields).

Versions checked: optax 0.2.8, jax 0.10.2 (the sources under site-packages).  Bindings are named by their exact
ids ("api[variant]").
"""

from ..registry import Cells, Divergence, Raises, Signature, Units, shorthands

CLS = "optax 0.2.8 optax/losses/_classification.py"
SEG = "optax 0.2.8 optax/losses/_segmentation.py"
SELF = "optax 0.2.8 optax/losses/_self_supervised.py"
REG = "optax 0.2.8 optax/losses/_regression.py"
LSE = "jax 0.10.2 jax/_src/ops/special.py logsumexp"
VALUE_GRAD = ("value", "grad")
INTEGER_CE = "optax.losses.softmax_cross_entropy_with_integer_labels"
DICE_PROBS = "optax.losses.binary_dice_loss[apply_sigmoid=False]"


_d, _unchecked = shorthands("optax")


DIVERGENCES: list[Divergence] = [
    _d("optax-kl-divergence-target-gradient-nan-at-zero", "bug",
       (Cells(apis="optax.losses.kl_divergence", checks="grad", cases=("target_zero", "saturation")),
        Cells(apis="optax.losses.kl_divergence", checks="grad", cases="extreme", dtypes="float32")),
       Signature(("nan/inf", "nan/finite")),
       "kl_divergence is targets * (jnp.where(targets == 0, 0, jnp.log(targets)) - log_predictions): the where keeps "
       "the value but not the gradient, whose untaken branch log'(0) = inf is multiplied by the where's 0 (NaN), so "
       "the target's gradient is NaN at a zero target where it is -inf (log t + 1 - x).  In float32 the extreme "
       "case's target 1e-38 is subnormal and XLA on the CPU flushes it to 0 inside the log: NaN where the "
       "reference's slope is finite (-55.6).",
       f"{CLS} kl_divergence; https://jax.readthedocs.io/en/latest/faq.html (gradients contain NaN where using "
       "where)"),
    _d("optax-binary-dice-probabilities-raise", "bug",
       Cells(apis=DICE_PROBS, checks=VALUE_GRAD,
             cases=("probabilities", "probabilities_empty_target_rows", "probabilities_kdim_2x3x4x4",
                    "probabilities_nonfinite", "probabilities_saturated", "probabilities_smooth_0",
                    "probabilities_one_hot_smooth_0", "probabilities_one_hot_kdim")),
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
    _d("optax-triplet-norm-degree-without-abs", "bug",
       Cells(apis="optax.losses.triplet_margin_loss", checks=VALUE_GRAD, cases=("p1", "p3_margin_0.5")),
       Signature(("nan/finite",), units={"float32": float("inf"), "float64": float("inf")}),
       "The distance is (sum (a - p)^norm_degree + eps)^(1 / norm_degree), the signed difference raised to the "
       "degree with no absolute value: the p-norm only for even p.  At p = 1 it is the sum of the differences, "
       "which cancel (a signed, different number: no count of units bounds it), and at p = 3 a negative sum of "
       "cubes has no real cube root (jnp.power gives NaN), so both the value and the gradient are NaN there.",
       f"{SELF} triplet_margin_loss (jnp.power(jnp.power(anchors - positives, norm_degree).sum(axis) + eps, "
       "1 / norm_degree))"),
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

# ---------------------------------------------------------------- beyond the documents (issue 11)

GKL = "optax.losses.generalized_kl_divergence"
MC_PERCEPTRON = "optax.losses.multiclass_perceptron_loss"
DICE = "optax.losses.dice_loss[one class, apply_softmax]"
LOGISTIC = "jax 0.10.2 jax/_src/lax/lax.py (logistic_p's JVP: ans * (1 - ans) unless accuracy=HIGHEST)"

DIVERGENCES += [
    _d("optax-log-cosh-log-2-cancels", "precision",
       (Cells(apis="optax.losses.log_cosh", checks="value", cases="small_d", reductions="none"),
        Cells(apis="optax.losses.log_cosh", checks="value", cases="extreme", dtypes="float64", reductions="none")),
       Units(32, absolute={"float32": 6e-8, "float64": 1.2e-16}),
       "log cosh d is formed as logaddexp(d, -d) - log 2, which cancels where the loss is below the rounding of "
       "log 2: |d| < 1e-4 (float32) or 1e-8 (float64) comes out 0 (or one rounding of log 2), where log cosh d ~ "
       "d^2 / 2 -- an absolute error of at most one ulp of log 2; the other elements are within the tolerance.",
       f"{REG} log_cosh"),
    _d("optax-poly1-one-minus-p-cancels", "precision",
       Cells(apis="optax.losses.poly_loss_cross_entropy", checks="value", cases="saturated", reductions="none"),
       Units({"float32": 1e6, "float64": 1e12}),
       "The poly term is sum(labels * (1 - softmax(x))): where p_y rounds near 1 the difference 1 - p_y keeps only "
       "the rounding of p_y (2.6e5 float32 units, 1.4e11 float64), where the reference forms -expm1(log p_y).",
       f"{CLS} poly_loss_cross_entropy"),
    _d("optax-generalized-kl-cancels-near-minimum", "precision",
       Cells(apis=GKL, checks="value", cases="near_minimum", reductions="none"),
       Units({"float32": 5e5, "float64": 5e5}),
       "generalized_kl_divergence adds kl_divergence, t (log t - x), to e^x - t: near e^x = t both terms are "
       "first order and their sum second order, so the roundings of each are most of the small result; the reference "
       "forms t (e^w - 1 - w) with w = x - log t.", f"{CLS} generalized_kl_divergence"),
    _d("optax-generalized-kl-infinite-log-prediction-nan", "bug",
       Cells(apis=GKL, checks="value", cases="nonfinite", reductions="none"), Signature(("nan/inf",)),
       "At x = +inf the kl term t (log t - x) is -inf and e^x - t is +inf: their sum is NaN, where the loss is +inf.",
       f"{CLS} generalized_kl_divergence (x + y)"),
    _d("optax-generalized-kl-infinite-slope", "different-definition",
       Cells(apis=GKL, checks="grad", cases="nonfinite"),
       Signature(("inf/nan", "inf/0"), units={"float32": float("inf"), "float64": float("inf")}),
       "jax's slope is e^x - t (the sum of the two terms' slopes): +inf at x = +inf, -1 (= -t) at x = -inf and "
       "-inf at t = +inf, where the reference, whose value there is a limit (+inf) taken in a constant branch, "
       "gives NaN, 0 and 0: at x = -inf the finite slope -t is jax's and the reference's 0 is the constant branch's "
       "(a reference gradient to correct; no number of units bounds -1 against 0).",
       f"{CLS} generalized_kl_divergence"),
    _d("optax-multiclass-perceptron-infinite-score-nan", "bug",
       Cells(apis=MC_PERCEPTRON, checks="value", cases="nonfinite", reductions="none"), Signature(("nan/inf",)),
       "f_y is picked as the dot product of the scores with one_hot(y): an infinite score of another class gives "
       "0 * inf = NaN there (and max - f_y = inf - NaN), where max_c f_c - f_y is +inf.",
       f"{CLS} multiclass_perceptron_loss (_dot_last_dim(scores, one_hot_labels))"),
    _d("optax-logistic-slope-underflows", "precision",
       Cells(apis=DICE, checks="grad", cases="saturated_logits"), Units({"float32": 1e7, "float64": 5e15}),
       "jax's sigmoid (lax.logistic) differentiates as s (1 - s): where s rounds to 1 (x = 40 in float64, beyond 17 "
       "in float32) the slope is 0 instead of e^-x, so those logits get no gradient; here they carry the whole "
       "(tiny) gradient of a saturated sample.", LOGISTIC),
    _unchecked("optax-generalized-kl-no-target-check",
               Cells(apis=GKL, checks="error", cases="negative_target"), ("nan",),
               "Negative targets are not checked: the kl term's log of a negative target gives NaN.",
               f"{CLS} generalized_kl_divergence, kl_divergence"),
    _unchecked("optax-multiclass-perceptron-class-unchecked",
               Cells(apis=MC_PERCEPTRON, checks="error", cases="class_out_of_range"), ("finite",),
               "Class indices outside [0, C) are not checked: one_hot gives a zero row, so the true score is 0.",
               f"{CLS} multiclass_perceptron_loss"),
    _unchecked("optax-perceptron-no-label-check",
               Cells(apis="optax.losses.perceptron_loss", checks="error", cases="labels_0_1"), ("finite",),
               "{0, 1} labels are not checked: max(0, -y f) is evaluated with y = 0 (a loss of 0).",
               f"{CLS} perceptron_loss"),
    _unchecked("optax-broadcasts-mismatched-shapes",
               Cells(apis=("optax.losses.huber_loss", "optax.losses.huber_loss[delta=beta, divided by beta]",
                           "optax.losses.kl_divergence", "optax.losses.log_cosh",
                           "optax.losses.sigmoid_binary_cross_entropy", "optax.losses.sigmoid_focal_loss"),
                     checks="error", cases="shape_broadcasts"), ("finite",),
               "These losses check no shapes: jnp broadcasts (N, 1) against (N,) to (N, N) pairs (measured: shape "
               "(8, 8)); squared_error and l2_loss check them (chex.assert_equal_shape: 'Shape mismatch') and raise.",
               f"{REG} huber_loss, log_cosh, squared_error (chex.assert_equal_shape); {CLS} "
               "sigmoid_binary_cross_entropy, sigmoid_focal_loss, kl_divergence"),
]
