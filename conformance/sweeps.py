"""1-D sweeps for the report's plots: the loss and its derivative along the input that matters.

A sweep is a batch with one sample per point: sample i has the swept coordinate at ``xs[i]`` and every other
input fixed, so reduction "none" gives the loss per point, and ``pick`` reads the derivative along the sweep from
the gradient of the swept input (for a box moved by x, the sum of its x1 and x2 components).  What is swept: the
difference for regression losses, a logit for classification (out to +-100: saturation), a box offset for the box
family, the distance to the margin for ranking and embedding losses, a frame's log-probability for CTC.  The
SmoothL1 and Huber sweeps move the threshold, as the source documents' plots do.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np

X = np.linspace(-3.0, 3.0, 241)
LOGITS = np.sinh(np.linspace(-np.arcsinh(100.0), np.arcsinh(100.0), 241))  # dense near 0, out to +-100
LOG_P = np.linspace(-10.0, 0.0, 241)
P = np.linspace(1e-3, 1 - 1e-3, 241)
OFFSET = np.linspace(-2.0, 2.0, 241)


@dataclass(frozen=True)
class Sweep:
    """``build(xs) -> {input: array}``, one sample per point; ``swept``: the input whose gradient ``pick`` reads."""

    swept: str
    build: Callable
    xs: np.ndarray = field(default_factory=lambda: X)
    pick: Callable = lambda g: g
    label: str = ""

    def arrays(self, loss):
        """The arrays in ``loss.inputs`` order."""
        built = self.build(self.xs)
        return [built[name] for name in loss.inputs]


def elementwise(swept, xs=X, **constants):
    """An element-wise loss: the swept input is the points, the others constants broadcast to them (an int stays
    an integer array: a label)."""
    label = ", ".join(f"{k} = {v:g}" for k, v in constants.items())
    return Sweep(swept, lambda x: {swept: x, **{k: np.full(x.shape, v) for k, v in constants.items()}}, xs,
                 label=f"{swept} ({label})" if label else swept)


def _rows(x, *rest):
    """(N, 1 + len(rest)) rows [x, rest...]."""
    return np.stack([x, *[np.full_like(x, v) for v in rest]], axis=1)


def _labels(x, row, dtype=np.int64):
    return np.tile(np.asarray(row, dtype=dtype), (x.size, 1))


def _box(x):
    return {"boxes1": np.stack([x, 0 * x, x + 1, 0 * x + 1], axis=1), "boxes2": _rows(0 * x, 0.0, 1.0, 1.0)}


def _ctc(x):
    lp = np.full((3, x.size, 3), np.log(1 / 3))
    lp[1, :, 1] = x
    n = x.size
    return {"log_probs": lp, "targets": _labels(x, [1]), "input_lengths": np.full(n, 3, dtype=np.int64),
            "target_lengths": np.ones(n, dtype=np.int64)}


def _cosine(y):
    return lambda x: {"x1": _rows(0 * x + 1, 0.0), "x2": np.stack([0 * x + 1, x], axis=1), "y": 0 * x + y}


def _first(build, xs, label):
    """A sweep of the first column of a 2-D input."""
    return Sweep("input", build, xs, lambda g: g[:, 0], label)


BOX = Sweep("boxes1", _box, OFFSET, lambda g: g[:, 0] + g[:, 2],
            "x offset of box 1 (boxes [x, 0, x+1, 1], [0, 0, 1, 1])")

SWEEPS = {
    "l1": [({}, elementwise("input", target=0.0))],
    "mse": [({}, elementwise("input", target=0.0))],
    "smooth_l1": [({"beta": 1.0}, elementwise("input", target=0.0)), ({"beta": 0.1}, elementwise("input", target=0.0))],
    "huber": [({"delta": 1.0}, elementwise("input", target=0.0)), ({"delta": 0.5}, elementwise("input", target=0.0))],
    "poisson_nll": [({}, elementwise("input", target=2.0))],
    "gaussian_nll": [({}, elementwise("input", target=0.0, var=1.0))],
    "kl_div": [({}, elementwise("input", LOG_P, target=0.3))],
    "soft_margin": [({}, elementwise("input", LOGITS, target=1.0))],
    "binary_cross_entropy_with_logits": [({}, elementwise("input", LOGITS, target=1.0)),
                                         ({}, elementwise("input", LOGITS, target=0.0))],
    "binary_cross_entropy": [({}, elementwise("input", P, target=1.0))],
    "sigmoid_focal": [({}, elementwise("input", LOGITS, target=1.0))],
    "hinge_embedding": [({}, elementwise("input", target=-1.0))],
    "modified_huber": [({}, elementwise("input", target=1))],
    "exponential": [({}, elementwise("input", target=1))],
    "hinge": [({}, elementwise("input", target=1))],
    "cross_entropy": [({}, _first(lambda x: {"input": _rows(x, 0.0, 0.0), "target": np.zeros(x.size, np.int64)},
                                  LOGITS, "logit of the target class (logits [x, 0, 0])"))],
    "nll": [({}, _first(lambda x: {"input": _rows(x, -1.0, -1.0), "target": np.zeros(x.size, np.int64)},
                        LOG_P, "log-probability of the target class"))],
    "multilabel_soft_margin": [({}, _first(lambda x: {"input": _rows(x, 0.0), "target": _rows(0 * x + 1, 0.0)},
                                           LOGITS, "logit of a positive label (logits [x, 0])"))],
    "multilabel_margin": [({}, _first(lambda x: {"input": _rows(x, 0.0, 0.5), "target": _labels(x, [0, -1, -1])},
                                      X, "score of the target label (scores [x, 0, 0.5])"))],
    "dice": [({"from_logits": False}, _first(lambda x: {"input": _rows(x, 0.5), "target": _rows(0 * x + 1, 0.0)},
                                             P, "probability of a positive pixel (input [p, 0.5], target [1, 0])"))],
    "margin_ranking": [({"margin": 0.5}, Sweep("x1", lambda x: {"x1": x, "x2": 0 * x, "y": 0 * x + 1},
                                               label="x1 - x2 (y = 1, margin 0.5)"))],
    "cosine_embedding": [({}, Sweep("x2", _cosine(1), pick=lambda g: g[:, 1],
                                    label="x2 = [1, x] against x1 = [1, 0] (y = 1)")),
                         ({"margin": 0.5}, Sweep("x2", _cosine(-1), pick=lambda g: g[:, 1],
                                                 label="x2 = [1, x] against x1 = [1, 0] (y = -1, margin 0.5)"))],
    "triplet_margin": [({}, Sweep("negative", lambda x: {"anchor": _rows(0 * x, 0.0), "positive": _rows(0 * x + 1, 0.0),
                                                         "negative": _rows(x, 0.5)},
                                  pick=lambda g: g[:, 0], label="negative = [x, 0.5] (anchor 0, positive [1, 0])"))],
    "ctc": [({}, Sweep("log_probs", _ctc, LOG_P, lambda g: g[1, :, 1],
                       "log-probability of the label at frame 1 (T = 3, C = 3, target [1])"))],
    **{name: [({}, BOX)] for name in ("iou", "giou", "diou", "ciou", "eiou", "siou", "focal_eiou")},
}
