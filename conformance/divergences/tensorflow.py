"""Known divergences of tensorflow from the reference (see conformance/registry.py for the fields).

Versions checked: tensorflow 2.21.0, keras 3.15.1 (the sources under site-packages).  API patterns are
fnmatch: "keras.losses.[A-Z]*" is the loss classes, "keras.losses.[a-z]*" the functions; a binding's
variant "[...]" is matched with "*" (a bare "[" would open a character class).
"""

from ..registry import Divergence

KERAS_LOSS = "keras 3.15.1 keras/src/losses/loss.py reduce_values"
KERAS_LOSSES = "keras 3.15.1 keras/src/losses/losses.py"
KERAS_NN = "keras 3.15.1 keras/src/backend/tensorflow/nn.py"
TF_NN_IMPL = "tensorflow 2.21.0 tensorflow/python/ops/nn_impl.py"
TF_CTC = "tensorflow 2.21.0 tensorflow/python/ops/ctc_ops.py"
TF_CLIP = "tensorflow 2.21.0 tensorflow/python/ops/clip_ops.py _clip_by_value_grad"
VG = "[vg]*"  # check: value and grad (not the error cells)


def _d(id, loss, api, kind, explanation, citation, **kw):
    return Divergence(id=id, loss=loss, framework="tensorflow", api=api, kind=kind, explanation=explanation,
                      citation=citation, **kw)


# ---------------------------------------------------------------- Keras reductions of nothing

_MEAN_OF_NOTHING = ("Keras's 'sum_over_batch_size' divides with divide_no_nan, so the mean of an empty (or an "
                    "all-ignored, all-masked) batch is 0, not 0 / 0 = NaN; its gradient is 0 as well.")
_BCE_CLIP = ("Keras clips p to [1e-7, 1 - 1e-7] before the logs (clip_eps=1e-7), so a saturated or tiny "
             "probability gives a finite loss and a zero gradient where the definition has log 0 or an unclipped "
             "slope.")
_CLIP_ROUNDING = ("Beyond the clip (clip_eps=1e-7): Keras forms 1 - p before the log (log(1 - p), not log1p(-p)), "
                  "so -log(1 - 1e-7) keeps only the digits of 1 - 1e-7, and in float32 the bound 1 - 1e-7 itself "
                  "rounds to 1 - 2^-23, so p clipped there gives -log(2^-23) = 15.94, not 16.12.")
_CCE_CLIP = ("Fed probabilities, Keras normalizes p / sum(p) and clips to [1e-7, 1 - 1e-7] before the log "
             "(clip_eps=1e-7): a saturated softmax gives -log(1e-7) and no gradient where the definition gives the "
             "logit margin.")
_UNREDUCED_EMPTY = ("Keras's reduce_values returns per-sample values of shape (0,) as they are, whatever the "
                    "reduction: the 'mean' and 'sum' of an empty batch come back as an empty array, not a scalar.")

DIVERGENCES: list[Divergence] = [
    *[_d(f"keras-{loss}-mean-of-empty-is-zero", loss, "keras.losses.[A-Z]*", "different-definition",
         _MEAN_OF_NOTHING, KERAS_LOSS, check="value", cases=cases, reductions=("mean",))
      for loss, cases in (("l1", ("empty",)), ("mse", ("empty",)), ("huber", ("empty",)),
                          ("smooth_l1", ("empty",)), ("binary_cross_entropy", ("empty",)),
                          ("binary_cross_entropy_with_logits", ("empty",)), ("sigmoid_focal", ("empty",)),
                          ("poisson_nll", ("rate_input_empty",)))],
    _d("keras-cross-entropy-mean-of-all-ignored-is-zero", "cross_entropy", "keras.losses.SparseCategorical*",
       "different-definition", _MEAN_OF_NOTHING, KERAS_LOSS, cases=("all_ignored",), reductions=("mean",)),
    _d("keras-sparse-ce-ignore-class-where-gradient", "cross_entropy", "keras.losses.sparse_categorical_crossentropy*",
       "different-definition",
       "The function's ignore_class zeroes ignored positions with where(valid, loss, 0), which passes no gradient "
       "to them whatever flows in: with every target ignored the composed mean sum / sum(valid) = 0 / 0 is NaN, as "
       "the reference's, but its gradient is 0, not the reference's (1 / 0) * 0 = NaN.",
       f"{KERAS_LOSSES} sparse_categorical_crossentropy (ignore_class: ops.where(valid_mask, res, 0.0))",
       check="grad", cases=("all_ignored",), reductions=("mean",)),
    *[_d(f"keras-{loss}-empty-batch-unreduced", loss, "keras.losses.[A-Z]*", "bug", _UNREDUCED_EMPTY, KERAS_LOSS,
         check="value", cases=(case,), reductions=reductions)
      for loss, case, reductions in (("cross_entropy", "empty", ("mean", "sum")),
                                     ("dice", "probabilities_empty", ("mean", "sum")),
                                     ("kl_div", "empty", ("mean", "batchmean")))],

    # ------------------------------------------------------------ Keras clipping (conventions, verified)
    _d("keras-bce-clips-probabilities", "binary_cross_entropy", "keras.losses.*", "convention", _BCE_CLIP,
       f"{KERAS_NN} binary_crossentropy", check="grad", cases=("saturation", "extreme")),
    _d("keras-bce-clips-probabilities-extreme", "binary_cross_entropy", "keras.losses.*", "convention", _BCE_CLIP,
       f"{KERAS_NN} binary_crossentropy", check="value", cases=("extreme",)),
    _d("keras-bce-clips-probabilities-saturation", "binary_cross_entropy", "keras.losses.*", "convention",
       _BCE_CLIP, f"{KERAS_NN} binary_crossentropy", check="value", cases=("saturation",),
       reductions=("mean", "sum")),
    _d("keras-bce-clip-bound-rounding", "binary_cross_entropy", "keras.losses.*", "precision", _CLIP_ROUNDING,
       f"{KERAS_NN} binary_crossentropy", check="value", cases=("saturation",), reductions=("none",)),
    _d("tf-clip-nan-gradient-is-zero", "binary_cross_entropy", "keras.losses.*", "bug",
       "tf.clip_by_value's gradient is 0 at a NaN input (its registered gradient zeroes it), so a NaN probability "
       "gets gradient 0 instead of NaN through Keras's clip.", TF_CLIP, check="grad", cases=("nonfinite",)),
    *[_d(f"keras-categorical-ce-clips-probabilities{suffix}", "cross_entropy",
         "keras.losses.[Cc]ategorical*from_logits=False*", "convention", _CCE_CLIP,
         f"{KERAS_NN} categorical_crossentropy", **where)
      for suffix, where in (("", dict(check="grad", cases=("saturation_logits_1e4", "extreme"))),
                            ("-extreme", dict(check="value", cases=("extreme",))),
                            ("-saturation-float64", dict(check="value", cases=("saturation_logits_1e4",),
                                                         dtypes=("float64",))),
                            ("-saturation-float32", dict(check="value", cases=("saturation_logits_1e4",),
                                                         dtypes=("float32",), reductions=("mean", "sum"))))],
    _d("keras-categorical-ce-clip-bound-rounding", "cross_entropy", "keras.losses.[Cc]ategorical*from_logits=False*",
       "precision", "In float32 the clip bound 1 - 1e-7 rounds to 1 - 2^-23, so a probability clipped there gives "
       "-log(1 - 2^-23) = 1.19e-7 instead of the convention's -log(1 - 1e-7) = 1.0e-7.",
       f"{KERAS_NN} categorical_crossentropy", check="value", cases=("saturation_logits_1e4",), dtypes=("float32",),
       reductions=("none",)),
    _d("keras-sparse-ce-clips-probabilities", "cross_entropy", "keras.losses.[Ss]parse*from_logits=False*",
       "convention",
       "Fed probabilities, Keras clips them to [1e-7, 1 - 1e-7] (clip_eps=1e-7); the gradient is the clipped "
       "one (the renormalization below changes the value only).",
       f"{KERAS_NN} sparse_categorical_crossentropy", check="grad", cases=("saturation_logits_1e4", "extreme")),
    _d("keras-sparse-ce-renormalizes-clipped-probabilities", "cross_entropy",
       "keras.losses.[Ss]parse*from_logits=False*", "different-definition",
       "Fed probabilities, Keras clips them to [1e-7, 1 - 1e-7] and then applies sparse softmax cross entropy to "
       "log(clip(p)): -log clip(p_y) + log sum_c clip(p_c), which is not -log clip(p_y) wherever a probability "
       "was clipped (the sum exceeds 1).", f"{KERAS_NN} sparse_categorical_crossentropy", check="value",
       cases=("saturation_logits_1e4", "extreme")),
    _d("keras-sparse-ce-renormalizes-clipped-probabilities-nonfinite", "cross_entropy",
       "keras.losses.[Ss]parse*from_logits=False*", "different-definition",
       "A -inf logit gives p = 0, clipped to 1e-7 and then renormalized with the others (log sum_c clip(p_c) > 0): "
       "a 1e-7 relative difference, invisible in float32.", f"{KERAS_NN} sparse_categorical_crossentropy",
       check="value", cases=("nonfinite",), dtypes=("float64",), reductions=("none",)),
    _d("keras-kl-clips-both-distributions", "kl_div", "keras.losses.*", "convention",
       "Keras clips y_true and y_pred = exp(input) to [1e-7, 1] (clip_eps=1e-7), so zero and tiny targets "
       "contribute 1e-7 log(1e-7 / q) and saturated or infinite log-probabilities give finite values.",
       f"{KERAS_LOSSES} kl_divergence", check=VG, cases=("saturation", "extreme")),
    _d("keras-kl-clips-both-distributions-nonfinite", "kl_div", "keras.losses.*", "convention",
       "The clips (clip_eps=1e-7) make a -inf log-probability finite; the reduced values are NaN either way (a NaN "
       "element), so only the per-element values and the gradient differ.", f"{KERAS_LOSSES} kl_divergence",
       check="grad", cases=("nonfinite",)),
    _d("keras-kl-clips-both-distributions-nonfinite-value", "kl_div", "keras.losses.*", "convention",
       "As keras-kl-clips-both-distributions-nonfinite, the per-element values.", f"{KERAS_LOSSES} kl_divergence",
       check="value", cases=("nonfinite",), reductions=("none",)),
    _d("keras-kl-clips-zero-targets-float64", "kl_div", "keras.losses.*", "convention",
       "Zero targets are clipped to 1e-7 (clip_eps=1e-7) and contribute 1e-7 log(1e-7 / q).",
       f"{KERAS_LOSSES} kl_divergence", check=VG, cases=("target_zero",), dtypes=("float64",)),
    _d("keras-kl-clips-zero-targets-float32", "kl_div", "keras.losses.*", "convention",
       "Zero targets are clipped to 1e-7 (clip_eps=1e-7); in float32 only the per-element values show it (the "
       "reduced ones absorb the 1e-7 terms).", f"{KERAS_LOSSES} kl_divergence", check="value",
       cases=("target_zero",), dtypes=("float32",), reductions=("none",)),
    _d("keras-poisson-eps", "poisson_nll", "keras.losses.*", "convention",
       "Keras's Poisson is y_pred - y_true log(y_pred + 1e-7) (eps=1e-7): a zero rate gives a finite loss, and "
       "tiny rates are shifted.", f"{KERAS_LOSSES} poisson", check=VG, cases=("zero_rate",)),
    _d("keras-poisson-eps-extreme-grad", "poisson_nll", "keras.losses.*", "convention",
       "eps=1e-7 inside the log: the slope at a tiny rate is 1 - y / (x + 1e-7), not 1 - y / x.",
       f"{KERAS_LOSSES} poisson", check="grad", cases=("rate_input_extreme",)),
    _d("keras-poisson-eps-elementwise", "poisson_nll", "keras.losses.*", "convention",
       "eps=1e-7 inside the log: visible per element at tiny and infinite rates (the reduced values are "
       "dominated by the large terms, or NaN either way).", f"{KERAS_LOSSES} poisson", check="value",
       cases=("rate_input_extreme", "rate_input_nonfinite"), reductions=("none",)),
    _d("keras-poisson-eps-float64", "poisson_nll", "keras.losses.*", "convention",
       "Keras's Poisson adds eps=1e-7 to the rate inside the log; visible on ordinary rates in float64.",
       f"{KERAS_LOSSES} poisson", check=VG, cases=("rate_input",), dtypes=("float64",)),
    _d("keras-dice-no-smoothing", "dice", "keras.losses.*", "convention",
       "Keras's Dice is 1 - 2 sum(t p) / (sum t + sum p + 1e-7): no smoothing term (smooth=0) and the backend "
       "epsilon in the denominator (eps=1e-7).", f"{KERAS_LOSSES} dice", check=VG,
       cases=("probabilities", "probabilities_kdim_2x3x4x4", "probabilities_saturated",
              "probabilities_empty_target_rows")),
    _d("keras-dice-no-smoothing-nonfinite", "dice", "keras.losses.*", "convention",
       "smooth=0, eps=1e-7 as above; on the NaN case the reduced values are NaN either way, so only the "
       "per-sample values and the gradient differ.", f"{KERAS_LOSSES} dice", check=VG,
       cases=("probabilities_nonfinite",), reductions=("none",)),
    _d("keras-dice-no-smoothing-nonfinite-grad", "dice", "keras.losses.*", "convention",
       "smooth=0, eps=1e-7 as above (the gradient of the finite sample).", f"{KERAS_LOSSES} dice", check="grad",
       cases=("probabilities_nonfinite",), reductions=("mean", "sum")),

    # ------------------------------------------------------------ precision and non-finite handling
    _d("tf-softmax-ce-log-not-log1p-keras", "cross_entropy", "keras.losses.*from_logits=True*", "precision",
       "TF's softmax cross-entropy kernel takes log(sum exp(x - max)) with log, not log1p of the non-max terms, so "
       "a loss below the dtype's resolution next to 1 (log(1 + 2e^-30) = 1.9e-13) comes out 0.",
       "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h (logsumexp with log)", check="value",
       cases=("saturation_logits_1e4",), reductions=("none",)),
    _d("tf-softmax-ce-log-not-log1p", "cross_entropy", "tf.nn.*", "precision",
       "As for Keras (which calls these ops): log(sum exp(x - max)) with log, not log1p, so log(1 + 2e^-30) is 0.",
       "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h (logsumexp with log)", check="value",
       cases=("saturation_logits_1e4",), reductions=("none",)),
    _d("tf-softmax-ce-zero-times-minus-inf-keras", "cross_entropy", "keras.losses.[Cc]ategorical*from_logits=True*",
       "bug", "A -inf logit of a class with target probability 0 gives 0 * (-inf) = NaN in the dense softmax "
       "cross entropy (labels times log-softmax), where the term is 0.",
       "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h", check="value", cases=("nonfinite",),
       reductions=("none",)),
    _d("tf-softmax-ce-zero-times-minus-inf", "cross_entropy", "tf.nn.softmax_cross_entropy_with_logits", "bug",
       "A -inf logit of a class with target probability 0 gives 0 * (-inf) = NaN (labels times log-softmax), "
       "where the term is 0.", "tensorflow 2.21.0 tensorflow/core/kernels/xent_op.h", check="value",
       cases=("nonfinite",), reductions=("none",)),
    _d("tf-sigmoid-ce-infinite-logit-nan", "binary_cross_entropy_with_logits", "*", "bug",
       "The stable form max(x, 0) - x z + log1p(exp(-|x|)) (weighted: (1 - z) x + ...) multiplies an infinite "
       "logit by a zero label factor: inf * 0 = NaN where the loss has the limit +inf or 0.",
       f"{TF_NN_IMPL} sigmoid_cross_entropy_with_logits, weighted_cross_entropy_with_logits", check="value",
       cases=("nonfinite",), reductions=("none",)),
    _d("tf-weighted-ce-cancellation", "binary_cross_entropy_with_logits", "tf.nn.weighted_cross_entropy_with_logits",
       "precision",
       "(1 - z) x + (1 + (q - 1) z)(log1p(exp(-|x|)) + relu(-x)) adds x and -x + log1p(e^x) for x < 0, z = 0: the "
       "small loss log1p(e^x) loses the digits of |x| (hundreds of ulps).",
       f"{TF_NN_IMPL} weighted_cross_entropy_with_logits", check="value", cases=("interior_8x5", "pos_weight"),
       reductions=("none",)),
    _d("tf-weighted-ce-zero-slope-at-zero", "binary_cross_entropy_with_logits",
       "tf.nn.weighted_cross_entropy_with_logits", "bug",
       "softplus(-x) is written log1p(exp(-|x|)) + relu(-x), and at x = 0 TF takes the slopes of |x| and relu as 0, "
       "so the gradient there misses -1/2 (pos_weight) of the smooth softplus slope.",
       f"{TF_NN_IMPL} weighted_cross_entropy_with_logits", check="grad", cases=("saturation_logits_1e4",)),
    _d("tf-weighted-ce-zero-slope-at-flushed-zero", "binary_cross_entropy_with_logits",
       "tf.nn.weighted_cross_entropy_with_logits", "bug",
       "x = 1e-38 is subnormal in float32 and TF's CPU kernels flush it to 0, where the |x| / relu split has "
       "slope 0 (see tf-weighted-ce-zero-slope-at-zero).", f"{TF_NN_IMPL} weighted_cross_entropy_with_logits",
       check="grad", cases=("extreme",), dtypes=("float32",)),
    _d("tf-cpu-flushes-subnormals-l1", "l1", "keras.losses.*", "precision",
       "TF runs its CPU kernels with flush-to-zero / denormals-are-zero, so float32 subnormal inputs (3e-39) are "
       "0: |d| is 0 and its slope sign(d) is 0 instead of 1.",
       "tensorflow/core/platform/denormal.cc (ScopedFlushDenormal); https://github.com/tensorflow/tensorflow/pull/11939",
       check="value", cases=("extreme",), dtypes=("float32",), reductions=("none",)),
    _d("tf-cpu-flushes-subnormals-l1-grad", "l1", "keras.losses.*", "precision",
       "Flush-to-zero makes the subnormal difference 0, so the slope sign(d) is 0 instead of 1.",
       "tensorflow/core/platform/denormal.cc (ScopedFlushDenormal); https://github.com/tensorflow/tensorflow/pull/11939",
       check="grad", cases=("extreme",), dtypes=("float32",)),
    _d("keras-huber-where-nan-gradient", "huber", "keras.losses.*", "bug",
       "Huber is where(|d| <= delta, 0.5 d^2, delta |d| - 0.5 delta^2): at d = +-inf the untaken branch's slope d "
       "is inf and where's gradient multiplies it by 0, giving NaN instead of +-delta.",
       f"{KERAS_LOSSES} huber; https://github.com/tensorflow/tensorflow/issues/38349", check="grad",
       cases=("nonfinite",)),
    _d("keras-huber-where-nan-gradient-smooth-l1", "smooth_l1", "keras.losses.*", "bug",
       "Huber(delta=beta) / beta inherits Huber's where-gradient NaN at d = +-inf "
       "(see keras-huber-where-nan-gradient).",
       f"{KERAS_LOSSES} huber; https://github.com/tensorflow/tensorflow/issues/38349", check="grad",
       cases=("nonfinite",)),
    _d("keras-focal-gradient-overflow", "sigmoid_focal", "keras.losses.*", "bug",
       "At x = 3e38 (y = 0) the product rule sends cotangent * alpha_t * bce (3e38 times the cotangent: inf in "
       "float32 once |cotangent| > ~1.5) into the focal factor, whose sigmoid slope is 0: inf * 0 = NaN.",
       f"{KERAS_LOSSES} binary_focal_crossentropy", check="grad", cases=("extreme",), dtypes=("float32",),
       reductions=("none", "sum")),
    _d("tf-log-poisson-zero-times-minus-inf", "poisson_nll", "tf.nn.log_poisson_loss", "bug",
       "exp(x) - y x with x = -inf and y = 0 computes 0 * (-inf) = NaN where the loss is 0 (no 0 log 0 = 0 "
       "convention).", f"{TF_NN_IMPL} log_poisson_loss", check="value", cases=("nonfinite",),
       reductions=("none",)),

    # ------------------------------------------------------------ CTC
    _d("tf-ctc-takes-logits", "ctc", "*", "convention",
       "tf.nn.ctc_loss (and Keras's CTC, which calls it) takes logits and applies log_softmax itself "
       "(log_softmax=True): the gradient is the one through that log_softmax, not w.r.t. free log-probabilities.",
       f"{TF_CTC} ctc_loss_v3 (logits); https://www.tensorflow.org/api_docs/python/tf/nn/ctc_loss", check="grad",
       cases=("interior_T12_N3_C5", "repeats", "blank_last", "empty_target", "concatenated_targets",
              "unnormalized_log_probs"), dtypes=("float32",)),
    _d("tf-ctc-renormalizes-log-probs", "ctc", "*", "convention",
       "Unnormalized rows are renormalized by the op's own log_softmax (log_softmax=True): the value is the loss "
       "of log_softmax(input), not of the input as given.",
       f"{TF_CTC} ctc_loss_v3 (logits); https://www.tensorflow.org/api_docs/python/tf/nn/ctc_loss", check="value",
       cases=("unnormalized_log_probs",), dtypes=("float32",)),
    _d("tf-ctc-float64-raises", "ctc", "tf.nn.ctc_loss", "bug",
       "ctc_loss_dense builds its log-zero constant log(1e-307) as float32 and multiplies it into the state "
       "masks, so float64 logits raise InvalidArgumentError ('cannot compute Mul ... double ... float').",
       f"{TF_CTC} ctc_state_log_probs; https://github.com/tensorflow/tensorflow/issues/53345", check=VG,
       dtypes=("float64",)),
    _d("tf-ctc-impossible-alignment-finite", "ctc", "tf.nn.ctc_loss", "different-definition",
       "The dense CTC uses log(1e-307) = -706.9 as log 0, so a target that no alignment fits gets a large finite "
       "loss (~707 + ...) with a nonzero gradient instead of inf.", f"{TF_CTC} ctc_state_log_probs (log_0)",
       check=VG, cases=("impossible_alignment",), dtypes=("float32",)),
    _d("keras-ctc-impossible-alignment-finite", "ctc", "keras.losses.*", "different-definition",
       "Keras calls tf.nn.ctc_loss, whose log 0 is log(1e-307) = -706.9: an impossible target gets a large "
       "finite loss instead of inf.", f"{TF_CTC} ctc_state_log_probs (log_0); {KERAS_NN} ctc_loss", check=VG,
       cases=("impossible_alignment",)),
    _d("keras-ctc-float64-in-float32", "ctc", "keras.losses.*", "precision",
       "Keras casts float64 inputs to float32 before tf.nn.ctc_loss (which cannot take float64) and casts the loss "
       "back: float64 values and gradients have float32 accuracy (on top of the log_softmax convention).",
       f"{KERAS_NN} ctc_loss", check=VG, dtypes=("float64",),
       cases=("interior_T12_N3_C5", "repeats", "empty_target", "concatenated_targets", "unnormalized_log_probs")),

    # ------------------------------------------------------------ bad input accepted (error cells)
    _d("keras-bce-no-range-check", "binary_cross_entropy", "keras.losses.*", "bug",
       "Probabilities and targets outside [0, 1] are not checked: the input is clipped into [1e-7, 1 - 1e-7] and "
       "the target used as is, so a number comes back.", f"{KERAS_NN} binary_crossentropy", check="error",
       cases=("input_outside_0_1", "target_outside_0_1")),
    _d("tf-bce-logits-no-target-check", "binary_cross_entropy_with_logits", "*", "bug",
       "Targets outside [0, 1] are not checked: the formula is evaluated with them and returns a number.",
       f"{TF_NN_IMPL} sigmoid_cross_entropy_with_logits", check="error", cases=("target_outside_0_1",)),
    _d("tf-one-hot-out-of-range-keras-cce", "cross_entropy", "keras.losses.[Cc]ategorical*", "convention",
       "The binding one-hot encodes index targets with tf.one_hot, which documents an all-zero row for an index "
       "outside [0, depth): such a sample silently gets loss 0.",
       "https://www.tensorflow.org/api_docs/python/tf/one_hot", check="error", cases=("class_out_of_range",)),
    _d("tf-one-hot-out-of-range-softmax-ce", "cross_entropy", "tf.nn.softmax_cross_entropy_with_logits",
       "convention", "Index targets are one-hot encoded with tf.one_hot, which documents an all-zero row for an "
       "index outside [0, depth): such a sample silently gets loss 0.",
       "https://www.tensorflow.org/api_docs/python/tf/one_hot", check="error", cases=("class_out_of_range",)),
    _d("keras-cce-no-target-check", "cross_entropy", "keras.losses.[Cc]ategorical*", "bug",
       "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated with them.",
       f"{KERAS_NN} categorical_crossentropy", check="error", cases=("prob_target_outside_0_1",)),
    _d("tf-softmax-ce-no-target-check", "cross_entropy", "tf.nn.softmax_cross_entropy_with_logits", "bug",
       "Probability targets outside [0, 1] are not checked: -sum_c q_c log p_c is evaluated with them.",
       "https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits", check="error",
       cases=("prob_target_outside_0_1",)),
    _d("tf-ctc-label-equal-to-blank", "ctc", "tf.nn.ctc_loss", "bug",
       "A label equal to the blank index is not rejected: a number comes back for a target that has no meaning "
       "(float64 raises, for tf-ctc-float64-raises' reason).", f"{TF_CTC} ctc_loss_v3", check="error",
       cases=("label_is_blank",), dtypes=("float32",)),
    _d("keras-ctc-label-equal-to-blank", "ctc", "keras.losses.*", "bug",
       "A label equal to the blank (0) is not rejected: Keras counts the labels != 0 as the label length and "
       "returns a number for a target that has no meaning.", f"{KERAS_LOSSES} ctc (label_length)", check="error",
       cases=("label_is_blank",)),
    _d("tf-ctc-logit-length-beyond-t", "ctc", "tf.nn.ctc_loss", "bug",
       "logit_length greater than the number of frames is not checked by the dense implementation: it computes a "
       "loss over the frames there are (float64 raises, for tf-ctc-float64-raises' reason).",
       f"{TF_CTC} ctc_loss_dense", check="error", cases=("input_length_exceeds_T",), dtypes=("float32",)),
    _d("keras-dice-no-range-check", "dice", "keras.losses.*", "bug",
       "Probabilities and targets outside [0, 1] are not checked: the ratio is evaluated with them.",
       f"{KERAS_LOSSES} dice", check="error",
       cases=("probabilities_input_outside_0_1", "probabilities_target_outside_0_1")),
    _d("tf-one-hot-out-of-range-categorical-hinge", "hinge", "keras.losses.*", "convention",
       "The binding one-hot encodes the labels with tf.one_hot, which documents an all-zero row for an index "
       "outside [0, depth): the sample's 'true' score is 0.", "https://www.tensorflow.org/api_docs/python/tf/one_hot",
       check="error", cases=("class_out_of_range",)),
    _d("keras-hinge-converts-0-1-labels", "hinge", "keras.losses.*", "convention",
       "Keras's Hinge documents that binary {0, 1} labels are converted to {-1, 1}, so {0, 1} labels are "
       "accepted instead of rejected.", f"{KERAS_LOSSES} hinge (docstring)", check="error", cases=("labels_0_1",)),
    _d("keras-kl-clips-targets", "kl_div", "keras.losses.*", "convention",
       "Keras clips y_true into [1e-7, 1] before the formula, so targets outside [0, 1] are clipped, not rejected.",
       f"{KERAS_LOSSES} kl_divergence", check="error", cases=("target_outside_0_1",)),
    _d("tf-log-poisson-no-count-check", "poisson_nll", "tf.nn.log_poisson_loss", "bug",
       "Negative counts are not checked: exp(x) - y x is evaluated with them and returns a number.",
       f"{TF_NN_IMPL} log_poisson_loss", check="error", cases=("negative_count",)),
    _d("keras-poisson-no-range-check", "poisson_nll", "keras.losses.*", "bug",
       "Negative rates and counts are not checked: a negative rate gives NaN from the log, a negative count a "
       "number.", f"{KERAS_LOSSES} poisson", check="error", cases=("negative_rate", "rate_input_negative_count")),
    _d("keras-focal-no-target-check", "sigmoid_focal", "keras.losses.*", "bug",
       "Targets outside [0, 1] are not checked: the focal formula is evaluated with them.",
       f"{KERAS_LOSSES} binary_focal_crossentropy", check="error", cases=("target_outside_0_1",)),
]
