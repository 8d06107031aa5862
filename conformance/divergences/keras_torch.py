"""Known divergences of Keras 3 on its torch backend (keras-torch) beyond Keras's own (keras.py).

Versions checked: keras 3.15.1 (keras/src/backend/torch, keras/src/backend/common under site-packages), torch 2.14.1.
"""

from ..registry import Cells, Raises, Units, Where, shorthands
from .keras import BINARY_HINGE, GCE, KERAS_API, SPARSE_CE_CLASS, SPARSE_CE_PROBS

KERAS_DTYPES = "keras 3.15.1 keras/src/backend/common/dtypes.py"
KERAS_TORCH = "keras 3.15.1 keras/src/backend/torch/numpy.py"
KERAS_TORCH_NN = "keras 3.15.1 keras/src/backend/torch/nn.py"
# the losses whose per-sample value is keras.ops.mean over the last axis (element-wise ones, fed x[..., None])
MEAN_PER_SAMPLE = ("l1", "mse", "mape", "msle", "huber", "smooth_l1", "binary_cross_entropy",
                   "binary_cross_entropy_with_logits", "sigmoid_focal", "poisson_nll", "squared_hinge",
                   "cosine_embedding")
VALUE_GRAD = ("value", "grad")
CATEGORICAL_HINGE = ("keras.losses.CategoricalHinge[scores shifted to >= 0]",
                     "keras.losses.categorical_hinge[scores shifted to >= 0]")
CCE = tuple(f"keras.losses.{n}[from_logits={b}]" for n in ("CategoricalCrossentropy", "categorical_crossentropy")
            for b in (False, True))
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
        Cells(losses=("l1", "mape"), checks="value", dtypes="float64", cases="kink_d_zero", where=KERAS_API),
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
        Cells(apis=CATEGORICAL_HINGE, checks="grad", dtypes="float64", cases="multiclass_negative_rivals")),
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
        Cells(losses="msle", checks=VALUE_GRAD, dtypes="float64", cases="near_equal_large", where=KERAS_API)),
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
              where=NOT_KDIM_PROBS_GRAD)),
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
