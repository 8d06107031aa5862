"""Known divergences of Keras 3 on its torch backend (keras-torch) beyond Keras's own (keras.py).

Versions checked: keras 3.15.1 (keras/src/backend/torch, keras/src/backend/common under site-packages), torch 2.14.1.
"""

import numpy as np

from ..registry import Cells, Raises, Reproduces, Signature, Units, Where, shorthands
from .keras import BINARY_HINGE, CIRCLE, GCE, KERAS_API, SPARSE_CE_CLASS, SPARSE_CE_LOGITS, SPARSE_CE_PROBS

KERAS_DTYPES = "keras 3.15.1 keras/src/backend/common/dtypes.py"
KERAS_TORCH = "keras 3.15.1 keras/src/backend/torch/numpy.py"
KERAS_LOSSES = "keras 3.15.1 keras/src/losses/losses.py"
KERAS_TORCH_NN = "keras 3.15.1 keras/src/backend/torch/nn.py"
TORCH_LOSS = "torch 2.14.1 aten/src/ATen/native/Loss.cpp"
# the losses whose per-sample value is keras.ops.mean over the last axis (element-wise ones, fed x[..., None])
MEAN_PER_SAMPLE = ("l1", "mse", "mape", "msle", "huber", "smooth_l1", "binary_cross_entropy",
                   "binary_cross_entropy_with_logits", "sigmoid_focal", "poisson_nll", "squared_hinge",
                   "cosine_embedding")
VALUE_GRAD = ("value", "grad")
CATEGORICAL_HINGE = ("keras.losses.CategoricalHinge[scores shifted to >= 0]",
                     "keras.losses.categorical_hinge[scores shifted to >= 0]")
CCE = tuple(f"keras.losses.{n}[from_logits={b}]" for n in ("CategoricalCrossentropy", "categorical_crossentropy")
            for b in (False, True))
CCE_PROBS, CCE_LOGITS = CCE[::2], CCE[1::2]
KDIM = "kdim_4x3x2x2_ignored"  # sparse CE fed probabilities: there the gradient raises (an entry below)
NOT_KDIM_PROBS_GRAD = Where(f"not the gradient of sparse CE fed probabilities on {KDIM}",
                            lambda k: not (k.api in SPARSE_CE_PROBS and k.check == "grad" and k.case == KDIM))

_d, _unchecked = shorthands("keras-torch")

DIVERGENCES = [
    _d("keras-torch-float64-mean-in-float32", "precision",
       (Cells(losses=MEAN_PER_SAMPLE, checks=VALUE_GRAD, dtypes="float64", tags="interior", where=KERAS_API),
        Cells(losses="huber", checks=VALUE_GRAD, dtypes="float64", cases="kink_at_delta_1_9", where=KERAS_API),
        Cells(apis=BINARY_HINGE, checks=VALUE_GRAD, dtypes="float64", tags="interior"),
        Cells(apis=BINARY_HINGE, checks=VALUE_GRAD, dtypes="float64", cases="binary_all_positive"),
        Cells(losses=("l1", "mape"), checks=VALUE_GRAD, dtypes="float64", cases="kink_d_zero", where=KERAS_API),
        # under the eps / clip conventions (|d| / max(|y|, eps), log(rate + eps), clip(p, eps, 1 - eps))
        Cells(losses="mape", checks=VALUE_GRAD, dtypes="float64", cases=("extreme", "target_zero"), where=KERAS_API),
        Cells(losses="poisson_nll", checks=VALUE_GRAD, dtypes="float64", cases="zero_rate", where=KERAS_API),
        Cells(losses="binary_cross_entropy", checks="value", dtypes="float64", cases="saturation", where=KERAS_API),
        Cells(losses="kl_div", checks="value", dtypes="float64", cases="target_zero",
              reductions=("none", "mean", "batchmean"), where=KERAS_API),
        Cells(losses="kl_div", checks="grad", dtypes="float64", cases="nonfinite", reductions=("mean", "batchmean"),
              where=KERAS_API),
        Cells(losses="kl_div", checks="value", dtypes="float64", cases="nonfinite", reductions="none",
              where=KERAS_API),
        Cells(losses=("huber", "smooth_l1"), checks="value", dtypes="float64",
              cases=("kink_at_delta", "kink_at_beta", "kink_at_beta_1"), reductions="mean", where=KERAS_API),
        Cells(losses="log_cosh", checks="value", dtypes="float64", cases=("extreme", "large_d"),
              reductions=("mean", "sum"), where=KERAS_API),  # the mean of keras.py's float32 log 2 terms
        Cells(apis=BINARY_HINGE, checks="grad", dtypes="float64", cases="binary_margin_met"),
        Cells(losses="msle", checks="value", dtypes="float64", cases="near_minus_one", where=KERAS_API),
        Cells(losses=("binary_cross_entropy_with_logits", "squared_hinge"), checks="grad", dtypes="float64",
              cases="nonfinite", where=KERAS_API),
        Cells(losses="poisson_nll", checks="grad", dtypes="float64", cases="rate_input_nonfinite", where=KERAS_API),
        Cells(losses=("huber", "smooth_l1", "squared_hinge"), checks="grad", dtypes="float64",
              cases=("kink_at_delta", "kink_at_beta", "kink_at_beta_1", "margin_met"), where=KERAS_API),
        Cells(losses="log_cosh", checks="grad", dtypes="float64", where=KERAS_API,  # its values: keras.py's log 2
              cases=("interior_3d", "interior_8x5", "interior_batch1", "small_d", "large_d", "extreme", "nonfinite")),
        Cells(losses="generalized_cross_entropy", checks=VALUE_GRAD, dtypes="float64", cases=("q_0.1", "q_0.7"),
              reductions=("none", "sum"), where=KERAS_API),
        Cells(losses="kl_div", checks="value", dtypes="float64", cases=("extreme", "saturation"), where=KERAS_API),
        Cells(apis=CATEGORICAL_HINGE, checks=VALUE_GRAD, dtypes="float64", cases="multiclass_8x4"),
        Cells(apis=CATEGORICAL_HINGE, checks="grad", dtypes="float64",
              cases=("multiclass_negative_rivals", "multiclass_rival_ties"))),
       Units({"float64": 1e9}),
       "keras.ops.mean computes in result_type(x.dtype, 'float32'), and Keras's type promotion maps float64 to "
       "float32 on every backend but TensorFlow (BIT64_TO_BIT32_DTYPE): a float64 mean is taken in float32 and cast "
       "back.  Every keras.losses function reduces its last axis with ops.mean, so each float64 loss of these "
       "element-wise losses (and its gradient) has float32 accuracy, and so has the float64 result of the other keras "
       "ops whose dtype goes through result_type (divide_no_nan, ...; generalized cross entropy, KL divergence): up "
       "to 6.3e8 units of float64 measured (MSLE).",
       f"{KERAS_TORCH} mean (compute_dtype = dtypes.result_type(x.dtype, 'float32'); x = cast(x, compute_dtype)); "
       f"{KERAS_DTYPES} BIT64_TO_BIT32_DTYPE ('float64': 'float64' if config.backend() == 'tensorflow' else "
       "'float32'), _lattice_result_type"),
    _d("keras-torch-float64-mean-in-float32-range", "precision",
       (Cells(losses=("l1", "mse", "huber", "smooth_l1", "binary_cross_entropy", "binary_cross_entropy_with_logits",
                      "sigmoid_focal", "poisson_nll", "squared_hinge"), checks=VALUE_GRAD, dtypes="float64",
              cases=("extreme", "rate_input_extreme", "saturation_logits_1e4"), where=KERAS_API),
        Cells(apis=BINARY_HINGE, checks=VALUE_GRAD, dtypes="float64", cases="extreme"),
        Cells(apis=BINARY_HINGE, checks="grad", dtypes="float64", cases="nonfinite"),
        Cells(losses="kl_div", checks="grad", dtypes="float64", cases=("extreme", "saturation"), where=KERAS_API),
        Cells(losses="softmax_focal", checks="value", dtypes="float64", cases="saturated", where=KERAS_API),
        Cells(losses="msle", checks=VALUE_GRAD, dtypes="float64", cases="near_equal_large", where=KERAS_API),
        Cells(losses="softmax_focal", checks="value", dtypes="float64", cases="extreme", reductions="none",
              where=KERAS_API)),
       Units({"float64": 4.6e15}),
       "As keras-torch-float64-mean-in-float32, on the values float32 cannot hold: a float64 loss or slope beyond "
       "float32's range (3e-39 squared, 1e4 logits' 1e-4343 tails) or below its resolution (MSLE's slope of 1e8 and "
       "1e8 + 16) comes back 0 or with none of its digits: up to 2^52 units (all of the value) measured.",
       f"{KERAS_TORCH} mean; {KERAS_DTYPES} BIT64_TO_BIT32_DTYPE"),
    _d("keras-torch-float64-batch-mean-in-float32", "precision",
       (Cells(losses=("softmax_focal", "kl_div"), checks=VALUE_GRAD, dtypes="float64", reductions="mean",
              tags="interior", where=KERAS_API),
        Cells(apis=GCE, checks=VALUE_GRAD, dtypes="float64", reductions="mean", tags="interior",
              where=Where("not the class at q = 1 (keras-gce-class-rejects-q-1)",
                          lambda k: not (k.api == GCE[0] and k.case == "q_1"))),
        Cells(apis=(*SPARSE_CE_CLASS, "keras.losses.Dice", "keras.losses.dice", "keras.losses.dice[axis=None]",
                    "keras.losses.tversky"), checks=VALUE_GRAD, dtypes="float64", reductions="mean", tags="interior",
              where=NOT_KDIM_PROBS_GRAD),
        Cells(apis=CCE, checks=VALUE_GRAD, dtypes="float64", reductions="mean", cases="prob_targets_label_smoothing"),
        Cells(apis=SPARSE_CE_CLASS, checks=VALUE_GRAD, dtypes="float64", reductions="mean",
              cases=("extreme", "saturation_logits_1e4", "ignore_valid_class_weight")),
        Cells(apis=SPARSE_CE_CLASS, checks="grad", dtypes="float64", reductions="mean", cases="nonfinite"),
        Cells(losses="dice", checks=VALUE_GRAD, dtypes="float64", reductions="mean",
              cases=("probabilities_empty_target_rows", "probabilities_saturated"), where=KERAS_API),
        Cells(losses="dice", checks="grad", dtypes="float64", reductions="mean", cases="probabilities_nonfinite",
              where=KERAS_API),
        Cells(apis=GCE, checks="value", dtypes="float64", reductions="mean", cases=("saturated", "saturated_q_0.7")),
        Cells(losses="softmax_focal", checks=VALUE_GRAD, dtypes="float64", reductions="mean", cases="extreme",
              where=KERAS_API),
        Cells(losses="softmax_focal", checks="grad", dtypes="float64", reductions="mean", cases="nonfinite",
              where=KERAS_API),
        Cells(apis=CATEGORICAL_HINGE, checks="value", dtypes="float64", reductions="mean",
              cases="multiclass_rival_ties"),
        Cells(losses="kl_div", checks=VALUE_GRAD, dtypes="float64", reductions="batchmean",
              cases=("interior_8x5", "interior_batch1"), where=KERAS_API),
        Cells(losses="tversky", checks=VALUE_GRAD, dtypes="float64", reductions="mean",
              cases=("alpha_0.3_beta_0.7", "alpha_0.7_beta_0.3", "batch1", "extreme", "interior_4x2x3x3",
                     "soft_targets"), where=KERAS_API)),
       Units({"float64": 1e9}),
       "As keras-torch-float64-mean-in-float32, for the losses whose per-sample value is a sum: their 'mean' is "
       "taken in float32, by the class's 'sum_over_batch_size' (ops.divide_no_nan, whose result_type(x1, x2, float) "
       "is float32) and by the function's keras.ops.mean: up to 4.5e8 units of float64 measured (generalized cross "
       "entropy).",
       f"{KERAS_TORCH} divide_no_nan, mean; keras 3.15.1 keras/src/losses/loss.py reduce_values; "
       f"{KERAS_DTYPES} BIT64_TO_BIT32_DTYPE"),
    _d("keras-torch-ctc-float64-in-float32", "precision",
       Cells(apis=("keras.losses.CTC", "keras.losses.ctc"), checks=VALUE_GRAD, dtypes="float64",
             cases=("interior_T12_N3_C5", "repeats", "empty_target", "concatenated_targets", "unnormalized_log_probs")),
       Units({"float64": 2e10}),
       "Keras's torch ctc_loss casts the logits to result_type(dtype, 'float32'), float32 for float64 (Keras's "
       "promotion), before log_softmax and F.ctc_loss: float64 values and gradients have float32 accuracy (1.4e10 "
       "units of the gradient measured; on TensorFlow the same cast is keras-ctc-float64-in-float32).",
       f"{KERAS_TORCH_NN} ctc_loss (dtype = backend.result_type(output.dtype, 'float32'); output = cast(output, "
       f"dtype)); {KERAS_DTYPES} BIT64_TO_BIT32_DTYPE"),
    _d("keras-torch-ctc-impossible-alignment-padded", "different-definition",
       Cells(apis=("keras.losses.CTC", "keras.losses.ctc"), checks=VALUE_GRAD, cases="impossible_alignment"),
       Signature(("finite/inf",), units={"float32": 2e7, "float64": 1e16}),
       "keras.losses.ctc takes no input lengths (it uses the full time axis), so the binding makes the frames past "
       "a sample's length certain blanks with logits -1e4 (adapters/keras.py CTC_PAD); F.ctc_loss then finds the "
       "alignments a too-long target needs through those frames at log-probability -1e4 each: a finite loss of about "
       "1e4 per frame (10006.6 measured) and a nonzero gradient, where the target fits no alignment (inf, gradient "
       "0).  On TensorFlow the same cells are tf-ctc-impossible-alignment-finite.",
       f"{KERAS_TORCH_NN} ctc_loss (tnn.ctc_loss, reduction='none'); {KERAS_LOSSES} ctc (input_length = "
       "ops.shape(y_pred)[1]); adapters/keras.py _ctc"),
    _d("keras-torch-bce-raises-on-nan-probability", "bug",
       Cells(losses=("binary_cross_entropy", "sigmoid_focal"), checks=VALUE_GRAD, cases="nonfinite", where=KERAS_API),
       Raises("all elements of input should be between 0 and 1"),
       "On torch Keras's binary cross entropy clips p with torch.clip, which keeps NaN, and calls "
       "F.binary_cross_entropy, which checks 0 <= p <= 1 and raises on NaN, where the loss is NaN (the binary focal "
       "loss takes it on sigmoid(x), so a NaN logit raises there too); on TensorFlow it is computed.",
       f"{KERAS_TORCH_NN} binary_crossentropy (torch.clip, tnn.binary_cross_entropy); torch 2.14.1 aten/src/ATen/"
       "native/Loss.cpp binary_cross_entropy_out_cpu ('all elements of input should be between 0 and 1')"),
    _d("keras-torch-sparse-ce-probabilities-kdim-grad-raises", "bug",
       Cells(apis=SPARSE_CE_PROBS[:3], checks="grad", cases=KDIM),
       Raises("grad_input must be contiguous"),
       "Fed probabilities with spatial dimensions, Keras on torch moves the class axis to 1 with movedim (a "
       "non-contiguous view) and takes nll_loss of its log; nll_loss2d's backward requires a contiguous gradient "
       "buffer and raises, so there is no gradient (the value is computed).",
       f"{KERAS_TORCH_NN} sparse_categorical_crossentropy (output.movedim(class_axis, 1), tnn.nll_loss); torch "
       "2.14.1 aten/src/ATen/native/LossNLL2d.cpp nll_loss2d_backward ('grad_input must be contiguous')"),
    # ------------------------------------------------------------ the torch ops Keras calls (as the torch stack's)
    _d("keras-torch-log-softmax-precision", "precision",
       Cells(apis=(*CCE_LOGITS, *SPARSE_CE_LOGITS[:3]), checks="value", cases="saturation_logits_1e4",
             reductions="none"),
       Units({"float32": 3e5, "float64": 2e11}),
       "Fed logits, Keras on torch takes log_softmax (and nll_loss of it), which computes x - max - log(sum exp(x - "
       "max)) with a plain log: a confident row's loss 2e-13 loses its digits (2.7e5 units of float32, 1.5e11 of "
       "float64 measured), as torch-cross-entropy-log-softmax-precision on the torch stack.",
       f"{KERAS_TORCH_NN} categorical_crossentropy, sparse_categorical_crossentropy (tnn.log_softmax); torch 2.14.1 "
       "aten/src/ATen/native/cpu/SoftMaxKernel.cpp _vec_log_softmax"),
    _d("keras-torch-cce-zero-times-minus-inf", "bug",
       Cells(apis=CCE_LOGITS, checks="value", cases="nonfinite", reductions="none"), Signature(("nan/finite",)),
       "The dense cross entropy is -sum(target * log_softmax(x)): a -inf logit of a class with target 0 gives "
       "0 * (-inf) = NaN, where the term is 0 (on TensorFlow: tf-softmax-ce-zero-times-minus-inf).",
       f"{KERAS_TORCH_NN} categorical_crossentropy (-torch.sum(target * log_prob, dim=axis))"),
    _d("keras-torch-bce-logits-infinite-logit-nan", "bug",
       Cells(apis=("keras.losses.BinaryCrossentropy[from_logits=True]",
                   "keras.losses.binary_crossentropy[from_logits=True]"), checks="value", cases="nonfinite",
             reductions="none"), Signature(("nan/inf",)),
       "Keras calls F.binary_cross_entropy_with_logits, whose stable form computes inf - inf for x = -inf, y = 1: "
       "NaN where the loss is +inf (torch-bce-logits-infinite-logit-nan on the torch stack).",
       f"{KERAS_TORCH_NN} binary_crossentropy; {TORCH_LOSS} binary_cross_entropy_with_logits"),
    _d("keras-torch-bce-logits-log1p-precision", "precision",
       Cells(apis=("keras.losses.BinaryCrossentropy[from_logits=True]",
                   "keras.losses.binary_crossentropy[from_logits=True]"), checks="value", dtypes="float32",
             cases=("interior_8x5", "weight"), reductions="none"), Units({"float32": 400}),
       "F.binary_cross_entropy_with_logits adds log(exp(-max) + exp(-x - max)) with a plain log, not log1p: a small "
       "loss next to a large |x| loses its relative accuracy (326 units of float32 measured; "
       "torch-bce-logits-log1p-precision on the torch stack).",
       f"{KERAS_TORCH_NN} binary_crossentropy; {TORCH_LOSS} binary_cross_entropy_with_logits"),
    _d("keras-torch-abs-nan-grad-zero", "bug",
       Cells(losses="l1", checks="grad", cases="nonfinite", where=KERAS_API),
       Signature(("0/nan",), units={"float64": 1e9}),  # float64's other elements: keras-torch-float64-mean-in-float32
       "Keras's MAE is mean(abs(x - y)) and torch's abs backward multiplies by sgn(x - y), which is 0 at NaN: a NaN "
       "input or target gets gradient 0 instead of NaN (torch-l1-nan-grad-zero on the torch stack; TensorFlow's "
       "abs gradient keeps the NaN); the finite float64 elements have float32 accuracy (1.4e8 units measured).",
       f"{KERAS_LOSSES} mean_absolute_error (ops.abs); torch 2.14.1 tools/autograd/derivatives.yaml abs "
       "(grad * self.sgn())"),
    _d("keras-torch-clip-gradient-zero-at-bound", "bug",
       Cells(losses="binary_cross_entropy", checks="grad", cases="saturation", where=KERAS_API),
       Units({"float32": 1e7, "float64": 5e15}),
       "Keras clips p with torch.clip(p, 1e-7, 1 - 1e-7), and torch's clamp passes no gradient to an input equal to "
       "a bound: p = 1 - 1e-7 (in float32 1 - 2^-23) gets gradient 0 where the (clip-convention) slope is "
       "1 / (1 - p) (all of it lost: 2^23 units of float32, 2^52 of float64).  Measured: torch.clip(torch.tensor("
       "[1 - 2**-23]), 1e-7, 1 - 1e-7) back-propagates 0; tf.clip_by_value passes the gradient at the bound.",
       f"{KERAS_TORCH_NN} binary_crossentropy (torch.clip); torch 2.14.1 tools/autograd/derivatives.yaml clamp"),
    _d("keras-torch-maximum-passes-nan-gradient", "bug",
       Cells(apis=BINARY_HINGE, checks="grad", dtypes="float32", cases="nonfinite"), Units({"float32": 1e7}),
       "The hinge is mean(maximum(1 - y x, 0)); torch's maximum backward zeroes the gradient only where self < "
       "other (halving it at ties), and NaN < 0 is false, so a NaN score gets the slope -y (times the cotangent) "
       "where the reference's, as TensorFlow's maximum gradient (x >= y), is 0: all of that element lost (2^23 "
       "units of float32; in float64 the cells are keras-torch-float64-mean-in-float32-range's).",
       f"{KERAS_LOSSES} hinge (ops.maximum(1.0 - y_true * y_pred, 0.0)); torch 2.14.1 tools/autograd/"
       "derivatives.yaml maximum (measured: the NaN score's gradient is the cotangent times -y)"),
    _d("keras-torch-kl-clip-gradient-split-at-bound", "bug",
       (Cells(losses="kl_div", checks="grad", dtypes="float32", cases=("extreme", "saturation"), where=KERAS_API),
        Cells(losses="kl_div", checks="grad", cases="target_zero", where=KERAS_API)),
       Units({"float32": 1e7, "float64": 2e15}),
       "kl_divergence clips y_pred with ops.clip(p, 1e-7, 1), which on torch passes the bounds as tensors to "
       "torch.clip; where p = exp(0) = 1 sits on the upper bound the input gets half its slope (measured: the "
       "gradient is exactly half the clip-convention reference's, 2^22 units of float32); TensorFlow's clip passes "
       "it whole.  y_true is clipped the same way, so a one-hot target's 1 gets half its slope as well (target_zero: "
       "2^21 units of float32, 2^50 of float64, normwise).  In float64 the extreme and saturation cells are "
       "keras-torch-float64-mean-in-float32-range's.",
       f"{KERAS_TORCH} clip (torch.clip(x, min=convert_to_tensor(x_min), max=convert_to_tensor(x_max))); "
       f"{KERAS_LOSSES} kl_divergence (ops.clip(y_pred, backend.epsilon(), 1))"),
    _d("keras-torch-float64-clip-bound-in-float32", "bug",
       Cells(losses="kl_div", checks="grad", dtypes="float64", cases="nonfinite", reductions=("none", "sum"),
             where=KERAS_API),
       Reproduces({"clip_eps": float(np.float32(1e-7))}),
       "ops.clip on torch makes its bounds tensors with convert_to_tensor, float32, so in float64 a probability "
       "clipped at the bottom is float32(1e-7) = 1.0000000117e-7: the target's slope log t + 1 - log q where "
       "exp(x) = 0 is clipped is off by 1.2e-8 (3.2e6 float64 units, normwise); the reference with that clip_eps "
       "reproduces it.  (JAX's clip keeps Python bounds weakly typed: float64 there.)",
       f"{KERAS_TORCH} clip (torch.clip(x, min=convert_to_tensor(x_min), max=convert_to_tensor(x_max)))"),
    _d("keras-torch-focal-logits-through-clipped-probabilities", "precision",
       Cells(apis=("keras.losses.BinaryFocalCrossentropy[from_logits=True]",
                   "keras.losses.binary_focal_crossentropy[from_logits=True]"), checks=VALUE_GRAD, dtypes="float32",
             cases=("extreme", "saturation_logits_1e4")),
       Units({"float32": 1e7}),
       "Fed logits, the binary focal loss takes p = ops.sigmoid(x) and then binary_crossentropy(p, from_logits="
       "False).  TensorFlow's sigmoid keeps the logits on its output (_keras_logits) and its binary_crossentropy "
       "takes them back, so the cross entropy is computed from x; torch's backend has no such path, so the cross "
       "entropy comes from the saturated p clipped to [1e-7, 1 - 1e-7]: at |x| = 1e4 or 3e38 the loss is the clip's "
       "-log(1.19e-7) = 15.9 times the focal factor instead of ~|x|, and its slope 0 (2^22 units of the value, 2^23 "
       "of the gradient measured).",
       f"{KERAS_LOSSES} binary_focal_crossentropy (y_pred = ops.sigmoid(y_pred); ops.binary_crossentropy(..., "
       "from_logits=False)); keras 3.15.1 keras/src/backend/tensorflow/nn.py sigmoid (output._keras_logits), "
       f"_get_logits; {KERAS_TORCH_NN} binary_crossentropy (torch.clip)"),
    _d("keras-torch-clip-bound-rounding", "precision",
       (Cells(losses="binary_cross_entropy", checks="value", dtypes="float32", cases="saturation", reductions="none",
              where=KERAS_API),
        Cells(apis=(*CCE_PROBS, *SPARSE_CE_PROBS[:3]), checks="value", dtypes="float32", cases="saturation_logits_1e4",
              reductions="none")),
       Units({"float32": 2e6}),
       "As keras-clip-bound-rounding on TensorFlow (Keras's own): the clip bound 1 - 1e-7 is formed in float32, "
       "where it rounds to 1 - 2^-23, so a probability clipped at the top has -log(1 - 2^-23) = 1.19e-7 in its "
       "loss, not 1.0e-7 (1.6e6 units of float32 measured).",
       f"{KERAS_TORCH_NN} binary_crossentropy, categorical_crossentropy, sparse_categorical_crossentropy "
       "(clip(output, epsilon, 1 - epsilon))"),
    _d("keras-torch-msle-cancels-near-equal-large", "precision",
       Cells(losses="msle", checks="grad", dtypes="float32", cases="near_equal_large", where=KERAS_API),
       Units({"float32": 1e7}),
       "As keras-msle-cancels-near-equal-large on TensorFlow (Keras's own): the slope takes the difference of two "
       "rounded logs of 1e8 and 1e8 + 16, which float32 cannot tell apart: all of the slope is lost (2^23 units).",
       f"{KERAS_LOSSES} mean_squared_logarithmic_error (first_log - second_log)"),
    # ------------------------------------------------------------ bad input accepted (error cells)
    _unchecked("keras-torch-bce-clips-probabilities",
               Cells(losses="binary_cross_entropy", checks="error", cases="input_outside_0_1", where=KERAS_API),
               ("finite",),
               "Probabilities outside [0, 1] are clipped into [1e-7, 1 - 1e-7] by torch.clip before "
               "F.binary_cross_entropy, whose range check then passes: a number comes back (its targets outside "
               "[0, 1] raise, and agree).", f"{KERAS_TORCH_NN} binary_crossentropy"),
    _unchecked("keras-torch-bce-logits-no-target-check",
               Cells(losses="binary_cross_entropy_with_logits", checks="error", cases="target_outside_0_1",
                     where=KERAS_API), ("finite",),
               "Targets outside [0, 1] are not checked: F.binary_cross_entropy_with_logits evaluates the formula "
               "with them.", f"{KERAS_TORCH_NN} binary_crossentropy (tnn.binary_cross_entropy_with_logits)"),
    _unchecked("keras-torch-cce-no-target-check",
               (Cells(apis=CCE, checks="error", cases=("class_out_of_range", "prob_target_outside_0_1")),
                Cells(apis=CATEGORICAL_HINGE, checks="error", cases="class_out_of_range")), ("finite",),
               "-sum(target * log_prob) checks nothing: probability targets outside [0, 1] are used as they are, and "
               "an index beyond C one-hot encodes (the binding's one-hot) to a zero row, loss 0 (categorical hinge: "
               "its 'true' score is 0).",
               f"{KERAS_TORCH_NN} categorical_crossentropy"),
    _unchecked("keras-torch-ctc-label-equal-to-blank",
               Cells(apis=("keras.losses.CTC", "keras.losses.ctc"), checks="error", cases="label_is_blank"),
               ("finite",),
               "A label equal to the blank index is not rejected by F.ctc_loss (Keras passes blank=mask_index=0): a "
               "number comes back for a target that has no meaning.", f"{KERAS_TORCH_NN} ctc_loss (tnn.ctc_loss)"),
    _unchecked("keras-torch-gce-validates-probabilities",
               (Cells(apis=GCE, checks="error", cases="probability_above_1"),
                Cells(apis=GCE[1], checks="error", cases="q_above_1")), ("finite",),
               "Probabilities above 1 pass and the function takes q > 1 (only the class checks q); an index beyond C "
               "raises in torch's one_hot, and agrees.", f"{KERAS_TORCH_NN} one_hot; keras 3.15.1 "
               "keras/src/losses/losses.py categorical_generalized_cross_entropy"),
]

DIVERGENCES += [
    _d("keras-torch-circle-float64-in-float32", "precision",
       Cells(apis=CIRCLE, checks=VALUE_GRAD, dtypes="float64",
             where=Where("not the non-finite case (NaN on both sides), nor the gradient at saturation (keras.py's "
                         "keras-circle-distance-rounding)",
                         lambda k: k.case != "nonfinite" and not (k.check == "grad" and k.case == "saturated"))),
       Units({"float64": 1e10}),
       "circle's similarities, exponents and sums are Keras ops whose result_type maps float64 to float32 off "
       "TensorFlow: float64 embeddings get float32 accuracy, amplified by the exponent gamma (s - m) (up to 3.4e9 "
       "units of the value and 3.2e9 of the gradient measured).",
       f"{KERAS_DTYPES} BIT64_TO_BIT32_DTYPE, result_type; {KERAS_LOSSES} circle"),
]
