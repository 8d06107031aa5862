"""Bounding-box regression losses, one value per box pair.

Boxes are (x1, y1, x2, y2) with x1 <= x2 and y1 <= y2, arrays of shape (..., 4);
boxes1 is the prediction, boxes2 the target.  Notation: w, h the sizes, A u B the
union, C the smallest enclosing box, rho the distance between the centers.

``eps`` enters where torchvision 0.29 puts it (torchvision/ops/_utils.py
``_loss_inter_union``, giou_loss.py, diou_loss.py ``_diou_iou_loss``, ciou_loss.py):
IoU = |A n B| / (|A u B| + eps); GIoU's (|C| - |A u B|) / (|C| + eps); DIoU's
rho^2 / (c^2 + eps), c the diagonal of C; CIoU's alpha = v / (1 - IoU + v + eps).
The losses torchvision does not ship (iou, eiou, focal_eiou, siou) add eps the same
way: to the union and to every other denominator.  eps = 0 is the pure definition.

0/0: where a ratio's denominator is exactly 0 its numerator is 0 too (a zero union
has no intersection, an enclosing box of zero size has coincident centers, ...);
such a ratio is read as 0, the limit eps -> 0+ of the eps-regularized form.  So two
zero-area boxes have IoU = 0 (identical ones included: 1 - IoU = 1), identical
point boxes have rho^2 / c^2 = 0, and identical non-degenerate boxes give 0 for
every loss here.  The gradients of those ratios are 0 there as well (no NaN).
"""

import math

import autograd.numpy as np
import numpy as onp
from autograd.tracer import getval

from ._core import choice, floats, register, same_shape


def _ratio(num, den):
    """num / den, with 0 / 0 read as 0 (den == 0 only where num == 0 here)."""
    zero = den == 0
    return np.where(zero, 0.0, num / np.where(zero, 1.0, den))


def _check(boxes1, boxes2, eps):
    floats("boxes1", boxes1)
    floats("boxes2", boxes2)
    for name, b in (("boxes1", boxes1), ("boxes2", boxes2)):
        b = onp.asarray(getval(b))
        if b.ndim == 0 or b.shape[-1] != 4:
            raise ValueError(f"{name}: expected shape (..., 4) (x1, y1, x2, y2), got {b.shape}")
        bad = (b[..., 2] < b[..., 0]) | (b[..., 3] < b[..., 1])
        if onp.any(bad):
            raise ValueError(f"{name}: expected x1 <= x2 and y1 <= y2, got the box {b[bad][0].tolist()}")
    same_shape(boxes1=boxes1, boxes2=boxes2)
    if not eps >= 0:
        raise ValueError(f"eps: expected >= 0, got {eps!r}")


def _geometry(boxes1, boxes2, eps):
    """The quantities every loss uses, as a dict of arrays of shape (...)."""
    x1, y1, x2, y2 = (boxes1[..., i] for i in range(4))
    x1g, y1g, x2g, y2g = (boxes2[..., i] for i in range(4))
    w, h, wg, hg = x2 - x1, y2 - y1, x2g - x1g, y2g - y1g
    inter = np.maximum(np.minimum(x2, x2g) - np.maximum(x1, x1g), 0.0) * np.maximum(
        np.minimum(y2, y2g) - np.maximum(y1, y1g), 0.0)
    union = w * h + wg * hg - inter
    cw = np.maximum(x2, x2g) - np.minimum(x1, x1g)  # the enclosing box C
    ch = np.maximum(y2, y2g) - np.minimum(y1, y1g)
    # Center offsets from coordinate differences (exact for nearby coordinates), not
    # from differences of centers (which lose the offset when |x| >> w).
    dx = ((x1g - x1) + (x2g - x2)) / 2
    dy = ((y1g - y1) + (y2g - y2)) / 2
    return dict(w=w, h=h, wg=wg, hg=hg, inter=inter, union=union, iou=_ratio(inter, union + eps),
                cw=cw, ch=ch, dx=dx, dy=dy)


def _distance_penalty(g, eps):
    """rho^2 / (c^2 + eps): squared center distance over the squared diagonal of C (DIoU)."""
    return _ratio(g["dx"] ** 2 + g["dy"] ** 2, g["cw"] ** 2 + g["ch"] ** 2 + eps)


@register("iou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def iou(boxes1, boxes2, form="linear", eps=0.0):
    """IoU loss: 1 - IoU ("linear") or -ln IoU ("log"), IoU = |A n B| / (|A u B| + eps).

    "log" is inf for disjoint or touching boxes (IoU = 0), with gradient 0 there.
    Source: 004_18f5d166812d638a.txt (Yu et al. 2016, UnitBox: both forms)."""
    _check(boxes1, boxes2, eps)
    choice("form", form, ("linear", "log"))
    g = _geometry(boxes1, boxes2, eps)
    if form == "linear":
        return 1.0 - g["iou"]
    overlap = g["iou"] > 0  # -ln 0 = inf, constant nearby: gradient 0 there, not NaN
    return np.where(overlap, -np.log(np.where(overlap, g["iou"], 1.0)), np.inf)


@register("giou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def giou(boxes1, boxes2, eps=0.0):
    """GIoU loss: 1 - IoU + (|C| - |A u B|) / (|C| + eps).

    Source: Rezatofighi et al. 2019 (arXiv:1902.09630); 004_18f5d166812d638a.txt;
    eps as torchvision 0.29 torchvision/ops/giou_loss.py ``generalized_box_iou_loss``."""
    _check(boxes1, boxes2, eps)
    g = _geometry(boxes1, boxes2, eps)
    area_c = g["cw"] * g["ch"]
    return 1.0 - g["iou"] + _ratio(area_c - g["union"], area_c + eps)


@register("diou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def diou(boxes1, boxes2, eps=0.0):
    """DIoU loss: 1 - IoU + rho^2 / (c^2 + eps), rho the distance between the centers, c the diagonal of C.

    Source: Zheng et al. 2020 (arXiv:1911.08287) eq. 6; 004_18f5d166812d638a.txt;
    eps as torchvision 0.29 torchvision/ops/diou_loss.py ``_diou_iou_loss``."""
    _check(boxes1, boxes2, eps)
    g = _geometry(boxes1, boxes2, eps)
    return 1.0 - g["iou"] + _distance_penalty(g, eps)


def _aspect_angle(w, h):
    """atan(w / h) = arctan2(w, h) (pi/2 when h = 0); 0 for a point box (w = h = 0), gradient 0 there."""
    point = (w == 0) & (h == 0)
    return np.arctan2(np.where(point, 0.0, w), np.where(point, 1.0, h))


@register("ciou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def ciou(boxes1, boxes2, eps=0.0, detach_alpha=False, diou_eps=None):
    """CIoU loss: DIoU + alpha v,
    v = 4 / pi^2 (atan(w_g / h_g) - atan(w / h))^2, alpha = v / (1 - IoU + v + eps).

    atan(w / h) is arctan2(w, h): pi/2 for a zero-height box, 0 for a point box.
    detach_alpha: alpha is a constant in the gradient (torchvision computes it under
    ``torch.no_grad()``).  diou_eps: the eps of the DIoU part (IoU's union and c^2),
    None = eps; torchvision 0.29 torchvision/ops/ciou_loss.py calls
    ``_diou_iou_loss(boxes1, boxes2)`` without its eps, so there the DIoU part (and
    the IoU inside alpha) always uses 1e-7 and ``eps`` reaches alpha only.
    Source: Zheng et al. 2020 (arXiv:1911.08287) eqs. 8-11; 004_18f5d166812d638a.txt."""
    _check(boxes1, boxes2, eps)
    diou_eps = eps if diou_eps is None else diou_eps
    if not diou_eps >= 0:
        raise ValueError(f"diou_eps: expected >= 0 or None, got {diou_eps!r}")
    g = _geometry(boxes1, boxes2, diou_eps)
    v = 4 / math.pi**2 * (_aspect_angle(g["wg"], g["hg"]) - _aspect_angle(g["w"], g["h"])) ** 2
    alpha = _ratio(v, 1.0 - g["iou"] + v + eps)
    if detach_alpha:
        alpha = getval(alpha)
    return 1.0 - g["iou"] + _distance_penalty(g, diou_eps) + alpha * v


def _eiou(g, eps):
    return (1.0 - g["iou"] + _distance_penalty(g, eps)
            + _ratio((g["w"] - g["wg"]) ** 2, g["cw"] ** 2 + eps)
            + _ratio((g["h"] - g["hg"]) ** 2, g["ch"] ** 2 + eps))


@register("eiou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def eiou(boxes1, boxes2, eps=0.0):
    """EIoU loss: 1 - IoU + rho^2 / c^2 + (w - w_g)^2 / C_w^2 + (h - h_g)^2 / C_h^2,
    C_w, C_h the width and height of C (eps added to each denominator).

    Source: Zhang et al. 2022, "Focal and Efficient IOU Loss" (arXiv:2101.08158) eq. 10;
    004_18f5d166812d638a.txt."""
    _check(boxes1, boxes2, eps)
    return _eiou(_geometry(boxes1, boxes2, eps), eps)


@register("focal_eiou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def focal_eiou(boxes1, boxes2, gamma=0.5, eps=0.0):
    """Focal-EIoU loss: IoU^gamma * EIoU (0 where IoU = 0 and gamma > 0).

    Source: Zhang et al. 2022 (arXiv:2101.08158) eq. 14 (gamma = 0.5 there);
    004_18f5d166812d638a.txt."""
    _check(boxes1, boxes2, eps)
    if not gamma >= 0:
        raise ValueError(f"gamma: expected >= 0, got {gamma!r}")
    g = _geometry(boxes1, boxes2, eps)
    overlap = g["iou"] > 0  # IoU^gamma has an infinite slope at 0; IoU is locally 0 there
    weight = np.where(overlap, np.where(overlap, g["iou"], 1.0) ** gamma, 0.0**gamma)
    return weight * _eiou(g, eps)


@register("siou", inputs=("boxes1", "boxes2"), differentiable=("boxes1", "boxes2"))
def siou(boxes1, boxes2, theta=4.0, eps=0.0):
    """SIoU loss: 1 - IoU + (Delta + Omega) / 2 (Gevorgyan 2022, arXiv:2205.12740).

    Angle cost Lambda = 1 - 2 sin^2(arcsin(c_h / sigma) - pi/4), sigma the center
    distance and c_h its vertical part; = sin(2 alpha) = 2 c_w c_h / sigma^2 exactly,
    the form used here (no cancellation).  Distance cost Delta = sum_{t=x,y}
    (1 - exp(-gamma rho_t)), rho_x = (dx / C_w)^2, rho_y = (dy / C_h)^2,
    gamma = 2 - Lambda.  Shape cost Omega = sum_{t=w,h} (1 - exp(-omega_t))^theta,
    omega_w = |w - w_g| / max(w, w_g).  eps is added to sigma^2, C_w^2, C_h^2, max(w, w_g),
    max(h, h_g) and the union.  Coincident centers: Lambda = 0 (and Delta = 0 anyway).
    Source: Gevorgyan 2022 eqs. 1-13; 004_18f5d166812d638a.txt."""
    _check(boxes1, boxes2, eps)
    if not theta > 0:
        raise ValueError(f"theta: expected > 0, got {theta!r}")
    g = _geometry(boxes1, boxes2, eps)
    dx, dy = g["dx"], g["dy"]
    angle = _ratio(2 * np.abs(dx) * np.abs(dy), dx**2 + dy**2 + eps)
    gamma = 2.0 - angle
    # 1 - exp(-z) written -expm1(-z): accurate for small z
    distance = (-np.expm1(-gamma * _ratio(dx**2, g["cw"] ** 2 + eps))
                - np.expm1(-gamma * _ratio(dy**2, g["ch"] ** 2 + eps)))
    omega_w = _ratio(np.abs(g["w"] - g["wg"]), np.maximum(g["w"], g["wg"]) + eps)
    omega_h = _ratio(np.abs(g["h"] - g["hg"]), np.maximum(g["h"], g["hg"]) + eps)
    shape = (-np.expm1(-omega_w)) ** theta + (-np.expm1(-omega_h)) ** theta
    return 1.0 - g["iou"] + (distance + shape) / 2
