"""Synthetic results files, in exactly the results schema, for tests and benchmarks.

    from reports.synthetic import generate, write
    data = generate(n_records=2000, seed=0)         # a dict, ready for json.dump
    write("results.json", n_records=100_000)

    python -m reports.synthetic OUT.json [--records N] [--seed S] [--framework torch] [--machine M] [--device D]

The numbers are made up (deterministically, from ``seed``); the shapes, names,
statuses and cross-references (divergence ids, binding ids, kinks with
subgradients, sweeps) are what the conformance suite writes.
"""

from __future__ import annotations

import argparse
import json
import random

import numpy as np

from .load import SCHEMA

# (loss, framework, api, variant, kind, expression, params, conventions, checks)
BINDINGS = [
    ("l1", "torch", "torch.nn.functional.l1_loss", "", "direct", "F.l1_loss(x, y, reduction=r)", [], {}, "vg"),
    ("l1", "torch", "torch.nn.L1Loss", "", "direct", "nn.L1Loss(reduction=r)(x, y)", [], {}, "vg"),
    ("l1", "tensorflow", "keras.losses.MeanAbsoluteError", "", "direct",
     "keras.losses.MeanAbsoluteError(reduction=r)(y, x)", [], {}, "vg"),
    ("l1", "sklearn", "sklearn.metrics.mean_absolute_error", "", "direct", "mean_absolute_error(y, x)", [], {}, "v"),
    ("mse", "torch", "torch.nn.functional.mse_loss", "", "direct", "F.mse_loss(x, y, reduction=r)", [], {}, "vg"),
    ("mse", "tensorflow", "keras.losses.MeanSquaredError", "", "direct",
     "keras.losses.MeanSquaredError(reduction=r)(y, x)", [], {}, "vg"),
    ("mse", "sklearn", "sklearn.metrics.mean_squared_error", "", "direct", "mean_squared_error(y, x)", [], {}, "v"),
    ("smooth_l1", "torch", "torch.nn.functional.smooth_l1_loss", "", "direct",
     "F.smooth_l1_loss(x, y, beta=beta, reduction=r)", ["beta"], {}, "vg"),
    ("smooth_l1", "torch", "torch.nn.SmoothL1Loss", "", "direct", "nn.SmoothL1Loss(beta=beta, reduction=r)(x, y)",
     ["beta"], {}, "vg"),
    ("smooth_l1", "tensorflow", "keras.losses.Huber", "/beta", "composed",
     "keras.losses.Huber(delta=beta, reduction=r)(y, x) / beta", ["beta"], {}, "vg"),
    ("huber", "torch", "torch.nn.functional.huber_loss", "", "direct",
     "F.huber_loss(x, y, delta=delta, reduction=r)", ["delta"], {}, "vg"),
    ("huber", "tensorflow", "keras.losses.Huber", "", "direct", "keras.losses.Huber(delta=delta, reduction=r)(y, x)",
     ["delta"], {}, "vg"),
    ("binary_cross_entropy", "torch", "torch.nn.functional.binary_cross_entropy", "", "direct",
     "F.binary_cross_entropy(p, y, reduction=r)", ["weight"], {"log_min": -100}, "vg"),
    ("binary_cross_entropy", "tensorflow", "keras.losses.BinaryCrossentropy", "", "direct",
     "keras.losses.BinaryCrossentropy(reduction=r)(y, p)", [], {"clip": 1e-7}, "vg"),
    ("binary_cross_entropy", "sklearn", "sklearn.metrics.log_loss", "binary", "direct", "log_loss(y, p)", [], {}, "v"),
    ("binary_cross_entropy_with_logits", "torch", "torch.nn.functional.binary_cross_entropy_with_logits", "",
     "direct", "F.binary_cross_entropy_with_logits(x, y, pos_weight=pw, reduction=r)", ["weight", "pos_weight"], {},
     "vg"),
    ("binary_cross_entropy_with_logits", "tensorflow", "tf.nn.sigmoid_cross_entropy_with_logits", "", "composed",
     "reduce(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=x), r)", [], {}, "vg"),
    ("binary_cross_entropy_with_logits", "tensorflow", "keras.losses.BinaryCrossentropy", "from_logits=True",
     "direct", "keras.losses.BinaryCrossentropy(from_logits=True, reduction=r)(y, x)", [], {}, "vg"),
    ("cross_entropy", "torch", "torch.nn.functional.cross_entropy", "", "direct",
     "F.cross_entropy(x, y, weight=w, ignore_index=i, label_smoothing=ls, reduction=r)",
     ["weight", "ignore_index", "label_smoothing"], {}, "vg"),
    ("cross_entropy", "tensorflow", "keras.losses.SparseCategoricalCrossentropy", "from_logits=True", "direct",
     "keras.losses.SparseCategoricalCrossentropy(from_logits=True, reduction=r)(y, moveaxis(x, 1, -1))", [], {}, "vg"),
    ("cross_entropy", "tensorflow", "tf.nn.sparse_softmax_cross_entropy_with_logits", "", "composed",
     "reduce(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=x), r)", [], {}, "vg"),
    ("kl_div", "torch", "torch.nn.functional.kl_div", "", "direct",
     "F.kl_div(x, y, log_target=lt, reduction=r)", ["log_target"], {}, "vg"),
    ("kl_div", "tensorflow", "keras.losses.KLDivergence", "", "composed",
     "keras.losses.KLDivergence(reduction=r)(y, exp(x))", [], {"clip": 1e-7}, "vg"),
    ("sigmoid_focal", "torch", "torchvision.ops.sigmoid_focal_loss", "", "direct",
     "torchvision.ops.sigmoid_focal_loss(x, y, alpha=alpha, gamma=gamma, reduction=r)", ["alpha", "gamma"], {}, "vg"),
    ("sigmoid_focal", "tensorflow", "keras.losses.BinaryFocalCrossentropy", "from_logits=True", "direct",
     "keras.losses.BinaryFocalCrossentropy(apply_class_balancing=True, alpha=alpha, gamma=gamma, from_logits=True)"
     "(y, x)", ["alpha", "gamma"], {}, "vg"),
    ("hinge", "sklearn", "sklearn.metrics.hinge_loss", "", "direct", "hinge_loss(y, f)", [], {}, "v"),
    ("hinge", "tensorflow", "keras.losses.Hinge", "", "direct", "keras.losses.Hinge(reduction=r)(y, f)", [], {}, "vg"),
    ("soft_margin", "torch", "torch.nn.functional.soft_margin_loss", "", "direct",
     "F.soft_margin_loss(x, y, reduction=r)", [], {}, "vg"),
    ("ctc", "torch", "torch.nn.functional.ctc_loss", "", "direct",
     "F.ctc_loss(lp, tg, il, tl, blank=blank, zero_infinity=zi, reduction=r)", ["blank", "zero_infinity"], {}, "vg"),
    ("ctc", "tensorflow", "tf.nn.ctc_loss", "", "composed",
     "reduce(tf.nn.ctc_loss(tg, lp, tl, il, logits_time_major=True, blank_index=blank), r)", ["blank"], {}, "vg"),
    ("giou", "torch", "torchvision.ops.generalized_box_iou_loss", "", "direct",
     "torchvision.ops.generalized_box_iou_loss(b1, b2, eps=eps, reduction=r)", ["eps"], {}, "vg"),
    ("poisson_nll", "torch", "torch.nn.functional.poisson_nll_loss", "", "direct",
     "F.poisson_nll_loss(x, y, log_input=li, full=full, eps=eps, reduction=r)", ["log_input", "full", "eps"], {}, "vg"),
    ("poisson_nll", "tensorflow", "tf.nn.log_poisson_loss", "", "composed",
     "reduce(tf.nn.log_poisson_loss(y, x, compute_full_loss=full), r)", ["full"], {}, "vg"),
]

UNAVAILABLE = [("dice", "tensorflow", "keras.losses.Dice", "keras.losses.Dice(reduction=r)(y, x)",
                "keras.losses.Dice takes no smooth parameter and reduces over the batch first")]

DIFFERENT_DEFINITIONS = [
    {"loss": "poisson_nll", "framework": "tensorflow", "api": "keras.losses.Poisson",
     "explanation": "keras.losses.Poisson takes rates, not log-rates: x - y log(x + eps).",
     "citation": "https://keras.io/api/losses/probabilistic_losses/#poisson-class"},
    {"loss": "hinge", "framework": "tensorflow", "api": "keras.losses.CategoricalHinge",
     "explanation": "max(0, neg - pos + 1) over one-hot targets, not the Crammer-Singer multiclass hinge.",
     "citation": "keras/src/losses/losses.py (keras 3.x)"},
]

# (id, loss, framework, api, case that triggers it, kind, condition, params)
DIVERGENCES = [
    ("keras-bce-clip", "binary_cross_entropy", "tensorflow", "keras.losses.BinaryCrossentropy", "saturation",
     "convention", "p in {0, 1}", {"clip": 1e-7}),
    ("torch-bce-log-clamp", "binary_cross_entropy", "torch", "torch.nn.functional.binary_cross_entropy",
     "saturation", "convention", "p in {0, 1}", {"log_min": -100}),
    ("keras-huber-beta0", "smooth_l1", "tensorflow", "keras.losses.Huber[/beta]", "beta_zero",
     "different-definition", "beta = 0 (division by zero)", {}),
    ("tf-ctc-inf", "ctc", "tensorflow", "tf.nn.ctc_loss", "impossible_alignment", "bug",
     "target longer than the input allows", {}),
    ("keras-focal-f32", "sigmoid_focal", "tensorflow", "keras.losses.BinaryFocalCrossentropy[from_logits=True]",
     "extreme_magnitude", "precision", "|logits| > 80 in float32", {}),
]

CASES = [  # (case, tags, params)
    ("random_small", [], {}),
    ("random_cotangent", ["cotangent"], {}),
    ("kink_at_beta", ["kink", "kink:|d|=beta"], {"beta": 0.5, "delta": 0.5}),
    ("kink_at_zero", ["kink", "kink:d=0"], {}),
    ("saturation", ["saturation"], {}),
    ("extreme_magnitude", ["extreme"], {}),
    ("nan_input", ["nan"], {}),
    ("empty_batch", ["empty"], {}),
    ("beta_zero", ["kink"], {"beta": 0.0}),
    ("impossible_alignment", ["edge"], {}),
]
VERSIONS = {"torch": {"torch": "2.14.1", "torchvision": "0.29.1"},
            "tensorflow": {"tensorflow": "2.21.0", "keras": "3.12.0"}, "sklearn": {"scikit-learn": "1.9.1"}}
SUBGRADIENT_HABITS = {"torch": "interior", "tensorflow": "right", "sklearn": "left"}


def _ref_sweep(loss, x):
    """Toy reference (value, derivative) over d = x - 0 for the sweep plots."""
    if loss == "l1":
        return np.abs(x), np.sign(x)
    if loss == "mse":
        return x * x, 2 * x
    if loss in ("smooth_l1", "huber"):
        a = np.abs(x)
        return np.where(a < 1, 0.5 * x * x, a - 0.5), np.where(a < 1, x, np.sign(x))
    if loss == "soft_margin":
        return np.logaddexp(0, -x), -1 / (1 + np.exp(x))
    if loss == "binary_cross_entropy_with_logits":
        return np.logaddexp(0, -x), 1 / (1 + np.exp(-x)) - 1
    return None


def _binding_dict(b):
    loss, fw, api, variant, kind, expr, params, conv, checks = b
    return {"id": f"{api}[{variant}]" if variant else api, "loss": loss, "framework": fw, "api": api,
            "variant": variant, "kind": kind, "expression": expr,
            "reductions": ["mean"] if fw == "sklearn" else ["none", "mean", "sum"],
            "dtypes": ["float64"] if fw == "sklearn" else ["float32", "float64"], "params": params,
            "conventions": conv, "available": True, "reason": "", "note": "", "differentiable": "g" in checks}


def _repro(b, dtype, reduction, case, params):
    fw = b["framework"]
    imp = {"torch": "import torch\nimport torch.nn.functional as F\nimport torchvision",
           "tensorflow": "import tensorflow as tf\nimport keras", "sklearn": "from sklearn import metrics"}[fw]
    return (f"import numpy as np\n{imp}\nfrom reference import LOSSES\n\n"
            f"# case {case}, seed fixed\nx = np.array([0.5, -1.25, 3.0], dtype=np.{dtype})\n"
            f"y = np.array([0.0, -1.0, 2.5], dtype=np.{dtype})\nr = {reduction!r}\nparams = {params!r}\n"
            f"print('framework:', {b['expression']!r})\n"
            f"print('reference:', LOSSES[{b['loss']!r}](x, y, reduction=r, **params))\n")


def generate(n_records=2000, seed=0, framework=None, machine="synthetic-host", device="cpu", commit="0" * 40):
    """A results dict with about `n_records` records (exactly, unless fewer cells exist)."""
    rng = random.Random(seed)
    bindings = [b for b in BINDINGS if framework in (None, b[1])]
    bdicts = [_binding_dict(b) for b in bindings]
    bdicts += [{"id": api, "loss": loss, "framework": fw, "api": api, "variant": "", "kind": "direct",
                "expression": expr, "reductions": [], "dtypes": [], "params": [], "conventions": {},
                "available": False, "reason": reason, "note": ""}
               for loss, fw, api, expr, reason in UNAVAILABLE if framework in (None, fw)]
    divs = {(d[3], d[4]): d for d in DIVERGENCES}
    # every (binding, check, dtype, reduction) slot, then cases round-robin until n_records
    slots = [(b, check, dtype, red) for b, raw in zip(bdicts, bindings, strict=False)
             for check in [{"v": "value", "g": "grad"}[c] for c in raw[8]] + ["error"]
             for dtype in b["dtypes"] for red in b["reductions"]]
    cells = []  # (slot, case): every special case for every slot, then random cases until n_records
    round_ = 0
    while slots and (round_ < len(CASES) or len(cells) < n_records):
        case = CASES[round_] if round_ < len(CASES) else (f"random_seed{round_}", [], {})
        round_ += 1
        error_round = case[0] == "nan_input" if round_ <= len(CASES) else round_ % 7 == 0
        cells.extend((slot, case) for slot in slots if (slot[1] == "error") == error_round)
    if len(cells) > n_records:  # a small file: a spread-out sample, so that it still has every case
        cells = [cells[i] for i in sorted(rng.sample(range(len(cells)), n_records))]
    records = [_record(rng, b, check, dtype, red, case, tags, cparams, divs, machine, device)
               for (b, check, dtype, red), (case, tags, cparams) in cells]
    sweeps = []
    for b in bdicts:
        x = np.linspace(-3, 3, 121)
        ref = _ref_sweep(b["loss"], x)
        if ref is None or not b.get("differentiable") or not b["available"]:
            continue
        for dtype in b["dtypes"]:
            eps = float(np.finfo(dtype).eps)
            noise = np.array([rng.uniform(-2, 2) for _ in x])
            v = ref[0] * (1 + noise * eps)
            g = ref[1] * (1 + noise[::-1] * eps)
            if b["framework"] == "tensorflow":  # a different subgradient at the kink, for the plot
                g = np.where(x == 0, 1.0, g)
            sweeps.append({"loss": b["loss"], "framework": b["framework"], "api": b["id"], "dtype": dtype,
                           "params": {}, "x": x.tolist(), "value": v.tolist(), "grad": g.tolist(),
                           "ref_value": ref[0].tolist(), "ref_grad": ref[1].tolist()})
    frameworks = sorted({b["framework"] for b in bdicts})
    versions = {"numpy": "2.4.6"}
    for fw in frameworks:
        versions.update(VERSIONS[fw])
    return {
        "schema": SCHEMA,
        "environment": {"python": "3.11.7", "platform": "Linux-6.1-x86_64-with-glibc2.36", "machine": machine,
                        "device": device, "commit": commit, "created": "2025-01-01T00:00:00+00:00",
                        "frameworks": versions,
                        "framework": framework or "all"},
        "records": records,
        "bindings": bdicts,
        "different_definitions": [d for d in DIFFERENT_DEFINITIONS if framework in (None, d["framework"])],
        "divergences": [{"id": i, "loss": loss, "framework": fw, "api": api, "condition": cond, "kind": kind,
                         "explanation": f"{api} differs from the reference where {cond}.",
                         "citation": f"https://github.com/example/{fw}/issues/{1000 + n}", "params": params}
                        for n, (i, loss, fw, api, _case, kind, cond, params) in enumerate(DIVERGENCES)
                        if framework in (None, fw)],
        "sweeps": sweeps,
        "coverage": {b["id"]: {p: [0.5, 1.0] for p in b["params"]} for b in bdicts if b["available"]},
    }


def _record(rng, b, check, dtype, red, case, tags, cparams, divs, machine, device):
    params = {k: v for k, v in cparams.items() if k in b["params"]}
    tol = 32 if check == "value" else 64
    div = divs.get((b["id"], case))
    u = rng.random()
    status, divergence, dkind = "pass", None, None
    if check == "error":
        status = "pass" if u < 0.9 else "fail"
    elif div is not None:
        status, divergence, dkind = ("xfail", div[0], div[5]) if u < 0.97 else ("xpass", div[0], div[5])
    elif u < 0.003:
        status = "fail"
    elif u < 0.004:
        status = "error"
    elif u < 0.014:
        status = "skip"
    elif u < 0.0145:
        status = rng.choice(["crash", "timeout"])
    conv = b["conventions"]
    ulp = None
    if status in ("pass", "xpass"):
        ulp = round(rng.expovariate(1.0) * 2, 3)
    elif status == "fail":
        ulp = round(tol * (1 + rng.expovariate(0.2)), 3)
    elif status == "xfail":
        ulp = round(rng.expovariate(1.0), 3) if dkind == "convention" else round(tol * 10 ** rng.uniform(1, 6), 3)
    pure = ulp if not conv or ulp is None else round(ulp + (1e6 if case == "saturation" else 0), 3)
    eps = float(np.finfo(dtype).eps)
    kink = check == "grad" and any("kink" in t for t in tags)
    sub = None
    if kink and status in ("pass", "xfail"):
        sub = SUBGRADIENT_HABITS[b["framework"]] if rng.random() < 0.95 else "left"
    message = {"pass": "", "skip": f"{b['api']} cannot express {params}", "error": "adapter raised TypeError",
               "crash": "worker killed by signal 11", "timeout": "no answer within 60 s"}.get(status, "")
    if status == "fail":
        message = f"max ulp error {ulp} > tolerance {tol} at element 3"
    if status in ("xfail", "xpass"):
        message = f"registered divergence {divergence}"
    rec = {"loss": b["loss"], "framework": b["framework"], "api": b["id"], "kind": b["kind"], "check": check,
           "dtype": dtype, "reduction": red, "case": case, "tags": list(tags), "params": params,
           "conventions": dict(conv), "status": status,
           "max_abs_err": None if ulp is None else ulp * eps, "max_rel_err": None if ulp is None else ulp * eps / 2,
           "max_ulp_err": ulp, "pure_ulp_err": pure, "tolerance": tol, "divergence": divergence,
           "divergence_kind": dkind, "subgradient": sub, "message": message,
           "seconds": round(rng.uniform(1e-5, 5e-3), 6), "repro": _repro(b, dtype, red, case, params),
           "machine": machine, "device": device}
    if check == "error":
        rec["framework_behaviour"] = "raised ValueError" if status == "pass" else "returned nan"
        rec["max_abs_err"] = rec["max_rel_err"] = rec["max_ulp_err"] = rec["pure_ulp_err"] = None
    return rec


def write(path, **kw):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(generate(**kw), f)
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python -m reports.synthetic", description=__doc__.splitlines()[0])
    ap.add_argument("out")
    ap.add_argument("--records", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--framework", default=None)
    ap.add_argument("--machine", default="synthetic-host")
    ap.add_argument("--device", default="cpu")
    a = ap.parse_args(argv)
    write(a.out, n_records=a.records, seed=a.seed, framework=a.framework, machine=a.machine, device=a.device)


if __name__ == "__main__":
    main()
