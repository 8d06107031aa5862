"""PyTorch and torchvision: every public API that computes a reference loss.

Functional (``torch.nn.functional``) and module (``torch.nn.*Loss``) forms are
bound separately: they differ in argument handling and defaults.  Each ``fn``
passes the *reference's* default for every parameter whose torch default
differs (poisson_nll / gaussian_nll / triplet_margin ``eps``, the box losses'
``eps``), so that a case that leaves a parameter unset compares like with like.
What torch does that no argument controls is a ``Convention`` below, with its
source (torch 2.14.1, torchvision 0.29.1).

Known bug (not a convention: upstream treats it as a silent-correctness bug, so
it is a registered divergence): ``F.ctc_loss`` / ``nn.CTCLoss`` return, as the
gradient for ``log_probs``, the gradient for the logits before a log_softmax
(pytorch/pytorch#52241, #82545, #181534).
"""

from __future__ import annotations

import contextlib
import inspect
import math
import warnings

import numpy as np

from ._core import Binding, Convention, Framework, Unsupported, lazy

torch = lazy("torch")
F = lazy("torch.nn.functional")
nn = lazy("torch.nn")
tvops = lazy("torchvision.ops")

_initialized = False


class TorchFramework(Framework):
    module = "torch"

    def to_tensor(self, array, dtype, device="cpu"):
        return torch.from_numpy(np.array(array, dtype=dtype)).to(device)

    def to_numpy(self, tensor):
        return np.asarray(tensor.detach().to("cpu", torch.float64).numpy(), dtype=np.float64)

    def devices(self):
        return ("cpu", "cuda") if torch.cuda.is_available() else ("cpu",)

    @contextlib.contextmanager
    def context(self):
        global _initialized
        if not _initialized:
            torch.set_num_threads(1)  # deterministic reductions, and kind to a shared machine
            _initialized = True
        # the default device of the tensors a binding makes (a CPU run pays nothing for a device mode)
        on_device = torch.device(self.device) if self.device != "cpu" else contextlib.nullcontext()
        with warnings.catch_warnings(), on_device:
            warnings.simplefilter("ignore")  # kl_div's reduction="mean" warning, deprecations
            yield

    def vjp(self, fn, primals, cotangent):
        for p in primals:
            p.requires_grad_(True)
        out = fn(*primals)
        grads = [None] * len(primals)
        if out.requires_grad and primals:
            cot = (torch.ones_like(out) if cotangent is None else
                   torch.from_numpy(np.array(np.broadcast_to(cotangent, tuple(out.shape)))).to(out.dtype))
            grads = torch.autograd.grad(out, primals, grad_outputs=cot, allow_unused=True)
        return out, [torch.zeros_like(p) if g is None else g for p, g in zip(primals, grads, strict=True)]


FRAMEWORK = TorchFramework()

_LOSS_CPP = "aten/src/ATen/native/Loss.cpp"

# ---------------------------------------------------------------- conventions

LOG_CLAMP = Convention(
    {"log_min": -100.0},
    "BCELoss clamps each log at -100, so a saturated p (0 or 1 against the other label) costs 100, not inf.  Its "
    "backward divides by max(x (1 - x), EPSILON=1e-12) instead of clamping: that only differs at saturation.",
    f"{_LOSS_CPP} binary_cross_entropy_out_cpu (std::max(log(x), -100)); torch/nn/modules/loss.py BCELoss "
    "docstring ('clamps its log function outputs to be greater than or equal to -100'), torch 2.14.1")
COSINE_EPSILON = Convention(
    {"eps": float(np.float32(1e-12))},
    "torch adds EPSILON to each squared norm.  EPSILON is a constexpr float 1e-12, so the value added (in float64 "
    "too) is float32(1e-12) = 9.999999960041972e-13, not 1e-12.  In float64 it shifts cos by ~1e-12 / |x|^2, "
    "value and gradient; with norms of 1e-9 it dominates them in both dtypes.",
    f"{_LOSS_CPP} cosine_embedding_loss (EPSILON), torch 2.14.1")
PAIRWISE_EPS = Convention(
    {"eps": 1e-6},
    "The default distance_function is torch.pairwise_distance (p=2, eps=1e-6), ||a - b + 1e-6||_2: the 1e-6 shows "
    "in float64, value and gradient.",
    "torch/nn/functional.py triplet_margin_with_distance_loss (distance_function defaults to pairwise_distance), "
    "torch 2.14.1")
CLAMP_NO_GRAD = Convention(
    {"clamp_no_grad": True},
    "var is clamped to eps in place under torch.no_grad(), so where var < eps the gradient w.r.t. var is the "
    "unclamped one, not 0.",
    "torch/nn/functional.py gaussian_nll_loss ('with torch.no_grad(): var.clamp_(min=eps)'), torch 2.14.1")
DETACH_ALPHA = Convention(
    {"detach_alpha": True},
    "CIoU's alpha is computed under torch.no_grad(), so the gradient misses the d alpha term.",
    "torchvision/ops/ciou_loss.py complete_box_iou_loss and torchvision/ops/boxes.py complete_box_iou "
    "('with torch.no_grad(): alpha = ...'), torchvision 0.29.1")
DIOU_EPS = Convention(
    {"diou_eps": 1e-7},
    "complete_box_iou_loss calls _diou_iou_loss(boxes1, boxes2) without its eps, so the DIoU part (and the IoU "
    "inside alpha) always uses 1e-7: eps reaches alpha only.  Visible in float64, and in float32 for boxes of size "
    "1e-6, where the 1e-7 in the union dominates.",
    "torchvision/ops/ciou_loss.py complete_box_iou_loss, torchvision 0.29.1")


# ---------------------------------------------------------------- helpers


def _as_input(t, like):
    """{-1, 1} or {0, 1} labels in the input's float dtype (torch wants float targets there)."""
    return t if t.is_floating_point() else t.to(like.dtype)


def _cast(tensors, floats):
    return [_as_input(t, tensors[0]) if i in floats else t for i, t in enumerate(tensors)]


def _reduce(v, reduction):
    return v if reduction == "none" else v.mean() if reduction == "mean" else v.sum()


def _binding(loss, api, fn, expression, **kw):
    requires = "torchvision" if api.startswith("torchvision.") else ""
    return Binding(loss=loss, api=api, fn=fn, expression=expression, requires=requires, **kw)


def _pair(loss, fname, cname, inputs, params=(), *, defaults=None, floats=(), refuse=None, functional_only=(),
          rename=None, **kw):
    """The functional and the module form of one torch loss.  ``refuse(*tensors, reduction)`` names a call whose
    answer is not the API's to measure (uninitialized memory): it raises Unsupported with that reason.
    ``functional_only``: parameters the function takes and the module does not (torch 2.14's weight= of l1_loss).
    ``rename``: {reference param: (torch keyword, the function that makes its value)}."""
    defaults, rename = defaults or {}, rename or {}

    def kwargs(p):
        p = {**defaults, **p}
        return {rename[k][0] if k in rename else k: rename[k][1](v) if k in rename else v for k, v in p.items()}

    def functional(*t, reduction, **p):
        _refuse(refuse, t, reduction)
        f = getattr(F, fname)
        missing = [k for k in functional_only if k in p and k not in inspect.signature(f).parameters]
        if missing:  # an older torch (weight= of l1_loss came in 2.14)
            raise Unsupported(f"torch {torch.__version__} F.{fname} has no {', '.join(missing)}=")
        return f(*_cast(t, floats), reduction=reduction, **kwargs(p))

    def module(*t, reduction, **p):
        _refuse(refuse, t, reduction)
        return getattr(nn, cname)(reduction=reduction, **kwargs(p))(*_cast(t, floats))

    args = ", ".join(inputs)
    shown = "".join(f"{rename[k][0] if k in rename else k}={k}, " for k in params)
    f_kwargs = shown + "".join(f"{k}={k}, " for k in functional_only)
    return [
        _binding(loss, f"torch.nn.functional.{fname}", functional,
                 f"F.{fname}({args}, {f_kwargs}reduction=reduction)", params=(*params, *functional_only), **kw),
        _binding(loss, f"torch.nn.{cname}", module,
                 f"nn.{cname}({shown}reduction=reduction)({args})", params=tuple(params), **kw),
    ]


def _distance_function(distance):
    """The reference's distance as torch's distance_function: None (the default pairwise_distance) or 1 - cos."""
    return None if distance == "pairwise" else lambda u, v: 1.0 - F.cosine_similarity(u, v)


def _refuse(refuse, tensors, reduction):
    reason = refuse and refuse(*tensors, reduction=reduction)
    if reason:
        raise Unsupported(reason)


def _empty_reduced(x, target, reduction):
    """multi_margin_loss on an empty batch: 'mean' and 'sum' return uninitialized memory (seen: 2e-133, 7e-310,
    -3e17; the output is at::empty and the kernel writes it only inside its loop over the samples,
    aten/src/ATen/native/LossMultiMargin.cpp multi_margin_loss_cpu, torch 2.14.1): garbage, not a value to diff,
    and not the same twice."""
    if x.shape[0] == 0 and reduction != "none":
        return ("torch 2.14.1 returns uninitialized memory for the 'mean' / 'sum' of an empty batch "
                "(LossMultiMargin.cpp: at::empty, written only inside the loop over samples)")
    return ""


# ---------------------------------------------------------------- special argument mappings


def _identity_projection(x):
    """x (N, C, d1, ...) as (N, F) features and an identity weight (C, d1, ..., F): the fused projection
    then returns x itself (exactly: one product by 1, the rest by 0)."""
    if x.ndim < 2:
        raise Unsupported("linear_cross_entropy needs (N, C) or (N, C, d1, ...) logits")
    if not bool(torch.isfinite(x).all()):
        raise Unsupported("an identity projection spreads a NaN or inf over its row (0 * inf = NaN)")
    n, c, *d = x.shape
    f = math.prod(x.shape[1:])
    return x.reshape(n, f), torch.eye(f, dtype=x.dtype).reshape(c, *d, f)


def _linear_cross_entropy(x, y, reduction, **p):
    features, eye = _identity_projection(x)
    return F.linear_cross_entropy(features, eye, y, reduction=reduction, **p)


def _linear_cross_entropy_module(x, y, reduction, **p):
    features, eye = _identity_projection(x)
    m = nn.LinearCrossEntropyLoss(features.shape[1], x.shape[1], out_features=tuple(x.shape[2:]), dtype=x.dtype,
                                  reduction=reduction, **p)
    with torch.no_grad():
        m.linear.weight.copy_(eye.reshape(-1, features.shape[1]))
    return m(features, y)


def _sigmoid_focal(x, y, reduction, alpha=0.25, gamma=2.0):
    return tvops.sigmoid_focal_loss(x, _as_input(y, x), alpha=-1 if alpha is None else alpha, gamma=gamma,
                                    reduction=reduction)


def _box_loss(name):
    def fn(b1, b2, reduction, eps=0.0):
        return getattr(tvops, name)(b1, b2, reduction=reduction, eps=eps)

    return fn


def _per_pair(pairwise):
    """A per-pair quantity from torchvision's all-pairs (N, M) function: one (1, 1) call per pair.

    Not the diagonal of one (N, N) call: a NaN in an off-diagonal pair (two identical boxes
    elsewhere in the batch) would reach the gradient through the backward of the whole matrix."""

    def fn(b1, b2):
        shape = b1.shape[:-1]
        a, b = b1.reshape(-1, 4), b2.reshape(-1, 4)
        pairs = [pairwise(a[i : i + 1], b[i : i + 1])[0, 0] for i in range(a.shape[0])]
        return (torch.stack(pairs) if pairs else a.new_zeros(0)).reshape(shape)

    return fn


def _iou_composed(b1, b2, reduction, form="linear"):
    iou = _per_pair(tvops.box_iou)(b1, b2)
    return _reduce(1 - iou if form == "linear" else -torch.log(iou), reduction)


def _giou_composed(b1, b2, reduction):
    return _reduce(1 - _per_pair(tvops.generalized_box_iou)(b1, b2), reduction)


def _diou_composed(b1, b2, reduction):
    return _reduce(1 - _per_pair(lambda a, b: tvops.distance_box_iou(a, b, eps=0.0))(b1, b2), reduction)


def _ciou_composed(b1, b2, reduction):
    return _reduce(1 - _per_pair(lambda a, b: tvops.complete_box_iou(a, b, eps=0.0))(b1, b2), reduction)


_TV_LOSS = "torchvision/ops/{}.py (torchvision 0.29.1)"

# ---------------------------------------------------------------- the bindings

HUBER_WEIGHTED_MEAN = Convention(
    {"weight_mean": "size"},
    "With weight=, huber_loss's 'mean' is mean(w l) = sum(w l) / N over the elements, where l1_loss and mse_loss (and "
    "scikit-learn's sample_weight) take the weighted mean sum(w l) / sum(w): torch 2.14 is inconsistent with itself.",
    "torch 2.14.1 torch/nn/functional.py huber_loss (weighted_loss.mean()), l1_loss and mse_loss "
    "(torch.sum(weighted_...) / torch.sum(weight))")

BINDINGS = [
    # regression
    *_pair("l1", "l1_loss", "L1Loss", ("input", "target"), functional_only=("weight",)),
    *_pair("mse", "mse_loss", "MSELoss", ("input", "target"), functional_only=("weight",)),
    *_pair("smooth_l1", "smooth_l1_loss", "SmoothL1Loss", ("input", "target"), ("beta",)),
    *_pair("huber", "huber_loss", "HuberLoss", ("input", "target"), ("delta",), functional_only=("weight",),
           conventions=(HUBER_WEIGHTED_MEAN,)),
    *_pair("poisson_nll", "poisson_nll_loss", "PoissonNLLLoss", ("input", "target"), ("log_input", "full", "eps"),
           defaults={"eps": 0.0}, note="torch's default eps is 1e-8 (used only when log_input=False)"),
    *_pair("gaussian_nll", "gaussian_nll_loss", "GaussianNLLLoss", ("input", "target", "var"), ("full", "eps"),
           defaults={"eps": 0.0}, conventions=(CLAMP_NO_GRAD,), note="torch's default eps is 1e-6"),
    # classification
    *_pair("cross_entropy", "cross_entropy", "CrossEntropyLoss", ("input", "target"),
           ("weight", "ignore_index", "label_smoothing"),
           note="index targets (int) or class probabilities (float, input's shape)"),
    _binding("cross_entropy", "torch.nn.functional.linear_cross_entropy", _linear_cross_entropy,
             "F.linear_cross_entropy(input.reshape(N, -1), torch.eye(P).reshape(C, d1, ..., P), target, "
             "weight=weight, ignore_index=ignore_index, label_smoothing=label_smoothing, reduction=reduction)",
             kind="composed",
             params=("weight", "ignore_index", "label_smoothing"),
             note="an identity projection (P = C d1 ...) makes the fused linear + cross entropy a plain cross "
                  "entropy; non-finite logits are Unsupported (the projection spreads them over the row)"),
    _binding("cross_entropy", "torch.nn.LinearCrossEntropyLoss", _linear_cross_entropy_module,
             "m = nn.LinearCrossEntropyLoss(P, C, out_features=(d1, ...), weight=weight, ignore_index=ignore_index, "
             "label_smoothing=label_smoothing, reduction=reduction); m.linear.weight = eye(P); "
             "m(input.reshape(N, -1), target)",
             kind="composed", params=("weight", "ignore_index", "label_smoothing"),
             note="its learnable projection set to the identity"),
    *_pair("nll", "nll_loss", "NLLLoss", ("input", "target"), ("weight", "ignore_index")),
    *_pair("binary_cross_entropy", "binary_cross_entropy", "BCELoss", ("input", "target"), ("weight",),
           conventions=(LOG_CLAMP,)),
    *_pair("binary_cross_entropy_with_logits", "binary_cross_entropy_with_logits", "BCEWithLogitsLoss",
           ("input", "target"), ("weight", "pos_weight")),
    *_pair("kl_div", "kl_div", "KLDivLoss", ("input", "target"), ("log_target",),
           reductions=("none", "mean", "sum", "batchmean"),
           note="reduction='mean' averages over every element (torch warns and recommends 'batchmean')"),
    *_pair("multilabel_soft_margin", "multilabel_soft_margin_loss", "MultiLabelSoftMarginLoss",
           ("input", "target"), ("weight",), floats=(1,)),
    *_pair("soft_margin", "soft_margin_loss", "SoftMarginLoss", ("input", "target"), floats=(1,)),
    _binding("sigmoid_focal", "torchvision.ops.sigmoid_focal_loss", _sigmoid_focal,
             "torchvision.ops.sigmoid_focal_loss(input, target, alpha=alpha, gamma=gamma, reduction=reduction)",
             params=("alpha", "gamma"), note="alpha=None is passed as alpha=-1 (no class balancing)"),
    # embedding and ranking
    *_pair("margin_ranking", "margin_ranking_loss", "MarginRankingLoss", ("x1", "x2", "y"), ("margin",),
           floats=(2,)),
    *_pair("multilabel_margin", "multilabel_margin_loss", "MultiLabelMarginLoss", ("input", "target")),
    *_pair("hinge_embedding", "hinge_embedding_loss", "HingeEmbeddingLoss", ("input", "target"), ("margin",),
           floats=(1,)),
    *_pair("cosine_embedding", "cosine_embedding_loss", "CosineEmbeddingLoss", ("x1", "x2", "y"), ("margin",),
           floats=(2,), conventions=(COSINE_EPSILON,)),
    *_pair("triplet_margin", "triplet_margin_loss", "TripletMarginLoss", ("anchor", "positive", "negative"),
           ("margin", "p", "eps", "swap"), defaults={"eps": 0.0},
           note="torch's default eps is 1e-6 (pairwise_distance: ||a - b + eps||_p)"),
    *_pair("triplet_margin", "triplet_margin_with_distance_loss", "TripletMarginWithDistanceLoss",
           ("anchor", "positive", "negative"), ("margin", "swap", "distance"), conventions=(PAIRWISE_EPS,),
           rename={"distance": ("distance_function", _distance_function)},
           note="distance_function: the default pairwise_distance for distance='pairwise', lambda u, v: 1 - "
                "F.cosine_similarity(u, v) for distance='cosine'"),
    # sequences
    *_pair("ctc", "ctc_loss", "CTCLoss", ("log_probs", "targets", "input_lengths", "target_lengths"),
           ("blank", "zero_infinity"),
           note="the gradient for log_probs is the one for logits before a log_softmax "
                "(pytorch/pytorch#52241, #82545, #181534; reference log_softmax_grad=True reproduces it)"),
    # boxes
    _binding("giou", "torchvision.ops.generalized_box_iou_loss", _box_loss("generalized_box_iou_loss"),
             "torchvision.ops.generalized_box_iou_loss(boxes1, boxes2, eps=eps, reduction=reduction)",
             params=("eps",), note="torchvision's default eps is 1e-7; " + _TV_LOSS.format("giou_loss")),
    _binding("diou", "torchvision.ops.distance_box_iou_loss", _box_loss("distance_box_iou_loss"),
             "torchvision.ops.distance_box_iou_loss(boxes1, boxes2, eps=eps, reduction=reduction)",
             params=("eps",), note="torchvision's default eps is 1e-7; " + _TV_LOSS.format("diou_loss")),
    _binding("ciou", "torchvision.ops.complete_box_iou_loss", _box_loss("complete_box_iou_loss"),
             "torchvision.ops.complete_box_iou_loss(boxes1, boxes2, eps=eps, reduction=reduction)",
             params=("eps",), conventions=(DETACH_ALPHA, DIOU_EPS),
             note="torchvision's default eps is 1e-7; " + _TV_LOSS.format("ciou_loss")),
    _binding("iou", "torchvision.ops.box_iou", _iou_composed,
             "1 - torchvision.ops.box_iou(boxes1[i:i+1], boxes2[i:i+1])[0, 0] per pair  (form='log': -log(...))",
             kind="composed", params=("form",), note="(..., 4) boxes flattened to (N, 4); no eps"),
    _binding("giou", "torchvision.ops.generalized_box_iou", _giou_composed,
             "1 - torchvision.ops.generalized_box_iou(boxes1[i:i+1], boxes2[i:i+1])[0, 0] per pair",
             kind="composed",
             note="no eps"),
    _binding("diou", "torchvision.ops.distance_box_iou", _diou_composed,
             "1 - torchvision.ops.distance_box_iou(boxes1[i:i+1], boxes2[i:i+1], eps=0.0)[0, 0] per pair",
             kind="composed",
             note="its eps reaches c^2 only (the IoU has none), which no reference eps expresses: bound at eps=0"),
    _binding("ciou", "torchvision.ops.complete_box_iou", _ciou_composed,
             "1 - torchvision.ops.complete_box_iou(boxes1[i:i+1], boxes2[i:i+1], eps=0.0)[0, 0] per pair",
             kind="composed",
             conventions=(DETACH_ALPHA,),
             note="its eps reaches c^2 and alpha but not the IoU, which no reference eps expresses: bound at eps=0"),
]


# ---------------------------------------------------------------- beyond the documents (issue 11)

BINDINGS += [
    # Weston-Watkins: its own reference loss multi_margin (the multiclass hinge is Crammer-Singer's, sklearn's)
    *_pair("multi_margin", "multi_margin_loss", "MultiMarginLoss", ("input", "target"), ("p", "margin", "weight"),
           refuse=_empty_reduced),
]


DIFFERENT_DEFINITIONS = []


_ATEN = ("the ATen operator behind torch.nn.functional.{0} (undocumented, reduction as an integer enum); "
         "bound through torch.nn.functional.{0}")
UNBOUND = {
    "torch.nn.AdaptiveLogSoftmaxWithLoss": "a layer with learned cluster projections (Grave et al. 2017): its "
    "loss is the NLL of an approximate, hierarchical softmax of its own parameters, not a function of fixed inputs",
    "torch.nn.NLLLoss2d": "legacy, undocumented subclass of torch.nn.NLLLoss that changes nothing "
    "(torch/nn/modules/loss.py); NLLLoss is bound",
    **{f"torch.{name}": _ATEN.format(name) for name in (
        "cosine_embedding_loss", "ctc_loss", "hinge_embedding_loss", "margin_ranking_loss", "poisson_nll_loss",
        "triplet_margin_loss")},
    "torch.miopen_ctc_loss": "the ROCm (MIOpen) kernel of ctc_loss, GPU-only; bound through F.ctc_loss",
}

# Public parameters of bound APIs that no binding sets ("*": of every API here), with why
# (tests/test_adapters_torch.py fails on any other parameter no case sets).
UNEXERCISED = {
    "*": {"size_average": "deprecated (torch/nn/_reduction.py legacy_get_string): reduction= replaces it",
          "reduce": "deprecated (torch/nn/_reduction.py legacy_get_string): reduction= replaces it"},
    "torch.nn.LinearCrossEntropyLoss": {
        "bias": "the fused projection's bias: the binding's identity projection (which makes the logits the "
        "input) has none",
        "device": "where the layer's parameters live: --device places them (the layer is made inside the call)",
        "options": "kernel options of the fused projection (chunking): the same loss, computed in pieces"},
    "torch.nn.functional.linear_cross_entropy": {
        "linear_bias": "the fused projection's bias: the binding's identity projection (which makes the logits the "
        "input) has none",
        "options": "kernel options of the fused projection (chunking): the same loss, computed in pieces"},
    "torchvision.ops.box_iou": {"fmt": "the box format ('xyxy', 'xywh', 'cxcywh'): the reference takes xyxy "
                                "boxes; another format is a conversion before the same IoU"},
}
