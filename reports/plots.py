"""Sweep plots: matplotlib figures rendered to SVG text for inlining into a page.

One figure per (loss, sweep parameters): the loss and its derivative over the
1-D sweep for every framework API overlaid on the reference, and the error in
ulps across the sweep.  The ulp panel uses the sweep's own ``value_ulp`` /
``grad_ulp`` arrays when the results file carries them, else
|framework - reference| / ulp(|reference|) in the sweep's dtype (plain, not the
suite's condition-aware scale), drawn up to ULP_CAP; the ulp axis is labelled every decade or few.  An optional
``x_label`` names the swept variable.
"""

from __future__ import annotations

import io
import re

import matplotlib
import numpy as np
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

matplotlib.rcParams.update({"svg.fonttype": "none", "font.size": 9, "axes.titlesize": 10,
                            "axes.spines.top": False, "axes.spines.right": False})
MAX_POINTS = 600  # sweeps longer than this are thinned for plotting
ULP_CAP = 1e9  # errors above this (a relative error near 1 where the reference underflows) are drawn at the cap
_COMMENT = re.compile(r"<!--.*?-->", re.S)
_PROLOG = re.compile(r"^.*?(?=<svg)", re.S)


def _label(text):
    """Plain text for matplotlib: no mathtext ($), no legend-hiding leading underscore."""
    text = str(text).replace("\\", "\\\\").replace("$", r"\$")
    return " " + text if text.startswith("_") else text


def _arr(values, n):
    a = np.array([np.nan if v is None else v for v in values], dtype=np.float64) if values is not None else None
    return a if a is not None and a.shape == (n,) else None


def ulps(values, ref, dtype):
    """|values - ref| in ulps of |ref| in `dtype` (NaN where either is not finite)."""
    dt = np.dtype(dtype) if dtype in ("float16", "float32", "float64") else np.dtype(np.float64)
    scale = np.spacing(np.maximum(np.abs(ref), np.finfo(dt).tiny).astype(dt)).astype(np.float64)
    with np.errstate(invalid="ignore", over="ignore"):
        return np.minimum(np.abs(values - ref) / scale, 1e15)


def sweep_svg(title, sweeps, salt):
    """SVG markup (a string starting with <svg) for sweeps that share a loss and parameters."""
    per_api = {}  # api -> the sweep to draw in the value/derivative panels (float64 preferred)
    for s in sweeps:
        if s["api"] not in per_api or s.get("dtype") == "float64":
            per_api[s["api"]] = s
    longest = max([len(str(api)) for api in per_api] or [10])
    columns = max(2, min(4, 140 // longest))
    legend_rows = (len(per_api) + columns) // columns  # the legend (APIs and the reference) goes under the panels
    height = 3.0 + 0.16 * legend_rows
    fig = Figure(figsize=(11, height))
    FigureCanvasSVG(fig)
    ax_v, ax_g, ax_u = fig.subplots(1, 3)
    fig.subplots_adjust(left=0.06, right=0.99, bottom=(0.45 + 0.16 * legend_rows) / height, top=1 - 0.5 / height,
                        wspace=0.25)
    ref_done = False
    colors = {api: f"C{i % 10}" for i, api in enumerate(sorted(per_api))}
    for s in sweeps:
        x = _arr(s.get("x"), len(s.get("x") or []))
        if x is None or x.size == 0:
            continue
        n = x.size
        step = max(1, n // MAX_POINTS)
        sl = slice(None, None, step)
        ref_v, ref_g = _arr(s.get("ref_value"), n), _arr(s.get("ref_grad"), n)
        v, g = _arr(s.get("value"), n), _arr(s.get("grad"), n)
        if not ref_done and ref_v is not None:
            ax_v.plot(x[sl], ref_v[sl], color="black", lw=3, alpha=0.25, label="reference")
            if ref_g is not None:
                ax_g.plot(x[sl], ref_g[sl], color="black", lw=3, alpha=0.25, label="reference")
            ref_done = True
        c = colors[s["api"]]
        if per_api[s["api"]] is s:
            if v is not None:
                ax_v.plot(x[sl], v[sl], color=c, lw=1, label=_label(s["api"]))
            if g is not None:
                ax_g.plot(x[sl], g[sl], color=c, lw=1, label=_label(s["api"]))
        style = "-" if s.get("dtype") == "float32" else ":"
        uv = _arr(s.get("value_ulp"), n)
        if uv is None and v is not None and ref_v is not None:
            uv = ulps(v, ref_v, s.get("dtype"))
        ug = _arr(s.get("grad_ulp"), n)
        if ug is None and g is not None and ref_g is not None:
            ug = ulps(g, ref_g, s.get("dtype"))
        if uv is not None:
            ax_u.plot(x[sl], np.minimum(uv[sl], ULP_CAP), color=c, lw=1, ls=style, label="_value")
        if ug is not None:
            ax_u.plot(x[sl], np.minimum(ug[sl], ULP_CAP), color=c, lw=1, ls=style, alpha=0.45, label="_grad")
    ax_v.set_title("loss")
    ax_g.set_title("derivative")
    ax_u.set_title("error (ulps; symlog: linear below 1)")
    ax_u.set_yscale("symlog", linthresh=1)
    top = max([np.nanmax(ln.get_ydata()) for ln in ax_u.lines if np.isfinite(ln.get_ydata()).any()] or [1.0])
    decades = min(int(np.ceil(np.log10(max(top, 10.0) * 1.01))), int(np.log10(ULP_CAP)))
    ax_u.set_ylim(0, 10.0**decades * (1.5 if top >= ULP_CAP else 1.0))  # spans 0, 1 and 10 at least
    ticks = sorted({0.0, 10.0**decades, *(10.0**k for k in range(0, decades + 1, 1 + (decades - 1) // 4))})
    ax_u.yaxis.set_major_locator(FixedLocator(ticks))
    ax_u.yaxis.set_minor_locator(NullLocator())
    # plain text (mathtext is slow); the cap reads as "at least"
    ax_u.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"\u2265{v:g}" if v >= ULP_CAP else f"{v:g}"))
    ax_g.set_xlabel(_label(next((s["x_label"] for s in sweeps if s.get("x_label")), "sweep variable")))
    for ax in (ax_v, ax_g, ax_u):
        ax.grid(alpha=0.3, lw=0.5)
    handles, labels = ax_v.get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=7, frameon=False, loc="lower center", ncol=columns)
    fig.suptitle(_label(title), fontsize=10)
    buf = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = _PROLOG.sub("", _COMMENT.sub("", buf.getvalue()), count=1)
    return svg.replace("<svg ", '<svg role="img" class="plot" ', 1)
