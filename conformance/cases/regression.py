"""Cases for l1, mse, smooth_l1, huber, poisson_nll, gaussian_nll."""

import numpy as np

from ._core import Case, cases, shape_broadcasts

NONFINITE_X = np.array([np.nan, np.inf, -np.inf, 1.0, 0.5])
NONFINITE_Y = np.array([0.0, 0.0, 1.0, np.inf, np.nan])
# tiny and huge, but representable in float32 (max 3.4e38, smallest normal 1.2e-38), and so are the losses
EXTREME_X = np.array([1e-30, -3e-30, 1e18, -2e18, 1e-38, 3e-39])
EXTREME_Y = np.array([2e-30, 1e-30, 1.5e18, -1e18, -1e-38, 0.0])


def _elementwise(loss, rng, params_interior=({},)):
    """The shared cases of an element-wise loss of (input, target)."""
    x, y = rng.normal(size=(2, 8, 5))
    yield Case(loss, "interior_8x5", {"input": x, "target": y})
    yield Case(loss, "interior_batch1", {"input": rng.normal(size=(1, 3)), "target": rng.normal(size=(1, 3))})
    yield Case(loss, "interior_3d", {"input": rng.normal(size=(2, 3, 4)), "target": rng.normal(size=(2, 3, 4))})
    for p in params_interior:
        if p:
            tag = "_".join(f"{k}_{v:.4g}" for k, v in p.items())
            yield Case(loss, f"interior_{tag}", {"input": x, "target": y}, p)
    yield Case(loss, "extreme", {"input": EXTREME_X, "target": EXTREME_Y}, tags={"extreme"})
    yield Case(loss, "nonfinite", {"input": NONFINITE_X, "target": NONFINITE_Y}, tags={"nonfinite"})
    yield Case(loss, "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case(loss, "shape_mismatch", {"input": x, "target": y[:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts(loss, {"input": x, "target": y})


def _weight_cases(loss, rng):
    """torch 2.14's weight= (one per element) and scikit-learn's sample_weight (one per sample): the weighted mean
    sum(w v) / sum(w).  One case per sample (1-D, a zero weight among them), one per element (8 x 5)."""
    x, y = rng.normal(size=(2, 7))
    yield Case(loss, "weight", {"input": x, "target": y}, {"weight": np.array([1.0, 0.0, 2.0, 0.5, 3.0, 1.0, 0.25])})
    x, y = rng.normal(size=(2, 8, 5))
    yield Case(loss, "weight_8x5", {"input": x, "target": y}, {"weight": rng.uniform(0.0, 2.0, size=(8, 5))})


@cases("l1")
def _l1(rng):
    yield from _elementwise("l1", rng)
    t = rng.normal(size=6)
    x = t.copy()
    x[::2] += rng.normal(size=3)
    yield Case("l1", "kink_d_zero", {"input": x, "target": t}, tags={"kink"}, note="d = 0 on every other element")
    yield from _weight_cases("l1", rng)


@cases("mse")
def _mse(rng):
    yield from _elementwise("mse", rng)
    yield Case("mse", "document_003", {"input": np.array([0.1, 0.2, 0.3, 0.4, 0.5]),
                                       "target": np.array([1.0, 1.0, 0.0, 1.0, 1.0])},
               note="003_76f20136c8b21606.txt: L2 sum = 2.15")
    yield from _weight_cases("mse", rng)


def _at_threshold(rng, b):
    """Targets and inputs with |d| exactly b (both signs) and 0, mixed with interior points."""
    t = np.array([0.0, 1.0, -2.0, 0.5, 3.0, 0.0])
    d = np.array([b, -b, b, 0.0, 2 * b, -b / 2])
    return t + d, t


@cases("smooth_l1")
def _smooth_l1(rng):
    yield from _elementwise("smooth_l1", rng, ({"beta": 1 / 9}, {"beta": 0.5}, {"beta": 0.0}))
    x, t = _at_threshold(rng, 0.5)
    yield Case("smooth_l1", "kink_at_beta", {"input": x, "target": t}, {"beta": 0.5}, tags={"branch"},
               note="|d| = beta is C1 (no kink): frameworks branch there")
    x, t = _at_threshold(rng, 1.0)
    yield Case("smooth_l1", "kink_at_beta_1", {"input": x, "target": t}, tags={"branch"}, note="|d| = beta is C1")
    yield Case("smooth_l1", "kink_beta0_d_zero", {"input": np.array([0.0, 1.0, -2.0, 0.25]),
                                                  "target": np.array([0.0, 1.0, 1.0, 0.0])}, {"beta": 0.0},
               tags={"kink"},
               note="d = 0 on two elements; d = 0.25 < 1 tells beta = 0 from the default in the gradient too")


@cases("huber")
def _huber(rng):
    yield from _elementwise("huber", rng, ({"delta": 0.5}, {"delta": 2.0}))
    x, t = _at_threshold(rng, 1.0)
    yield Case("huber", "kink_at_delta", {"input": x, "target": t}, tags={"branch"}, note="|d| = delta is C1")
    x, t = _at_threshold(rng, 1 / 9)
    yield Case("huber", "kink_at_delta_1_9", {"input": x, "target": t}, {"delta": 1 / 9}, tags={"branch"},
               note="|d| = delta is C1")
    yield from _weight_cases("huber", rng)


@cases("poisson_nll")
def _poisson_nll(rng):
    x = rng.normal(size=(8, 5))
    y = rng.poisson(2.0, size=(8, 5)).astype(np.float64)
    rate = np.exp(rng.normal(size=(8, 5)))
    small = rate.copy()
    small[0] = [1e-4, 2e-4, 5e-4, 1e-3, 3e-4]  # rates where eps is not negligible
    yield Case("poisson_nll", "interior_8x5", {"input": x, "target": y})
    yield Case("poisson_nll", "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case("poisson_nll", "full", {"input": x, "target": y}, {"full": True})
    yield Case("poisson_nll", "rate_input", {"input": rate, "target": y}, {"log_input": False})
    yield Case("poisson_nll", "rate_input_eps_1e-8_full", {"input": small, "target": y},
               {"log_input": False, "eps": 1e-8, "full": True}, note="row 0: rates 1e-4 to 1e-3, where eps shows")
    yield Case("poisson_nll", "rate_input_eps_1e-7", {"input": small, "target": y}, {"log_input": False, "eps": 1e-7},
               note="row 0: rates 1e-4 to 1e-3, where eps shows")
    yield Case("poisson_nll", "zero_rate", {"input": np.array([0.0, 0.0, 1e-12, 1.0]),
                                            "target": np.array([0.0, 2.0, 3.0, 0.0])},
               {"log_input": False}, tags={"edge"}, note="0 log 0 = 0; rate 0 with a count is +inf")
    yield Case("poisson_nll", "full_counts_near_1", {"input": rng.normal(size=6),
                                                     "target": np.array([0.0, 0.5, 1.0, 1.5, 2.0, 100.0])},
               {"full": True}, tags={"edge"}, note="the Stirling term switches on at y > 1")
    yield Case("poisson_nll", "extreme", {"input": np.array([-80.0, 80.0, 1e-30, -1e-30, 30.0]),
                                          "target": np.array([0.0, 1e30, 1e30, 1e-30, 1e12])}, tags={"extreme"})
    yield Case("poisson_nll", "nonfinite", {"input": np.array([np.nan, np.inf, -np.inf, 0.0]),
                                            "target": np.array([1.0, 1.0, 0.0, np.inf])}, tags={"nonfinite"})
    yield Case("poisson_nll", "empty", {"input": np.zeros((0, 2)), "target": np.zeros((0, 2))}, tags={"edge"})
    rates = {"log_input": False}  # Keras Poisson takes rates: the same edges, on rates
    yield Case("poisson_nll", "rate_input_extreme", {"input": np.array([1e-30, 1e30, 1e-38, 1e18, 30.0]),
                                                     "target": np.array([0.0, 1e30, 0.1, 1e-30, 1e12])}, rates,
               tags={"extreme"}, note="the slope 1 - y / x stays inside float32's range (y = 1e30 at x = 1e-38 "
               "would need 1e68)")
    yield Case("poisson_nll", "rate_input_nonfinite", {"input": np.array([np.nan, np.inf, 1.0, 2.0]),
                                                       "target": np.array([1.0, 1.0, np.inf, np.nan])}, rates,
               tags={"nonfinite"})
    yield Case("poisson_nll", "rate_input_empty", {"input": np.zeros((0, 2)), "target": np.zeros((0, 2))}, rates,
               tags={"edge"})
    yield Case("poisson_nll", "rate_input_negative_count", {"input": rate[0], "target": -y[0] - 1}, rates,
               tags={"bad_input"}, error=("target", r"values must lie in \[0\.0, inf\]"))
    yield Case("poisson_nll", "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("poisson_nll", {"input": x, "target": y})
    yield Case("poisson_nll", "negative_count", {"input": x[0], "target": -y[0] - 1}, tags={"bad_input"},
               error=("target", r"values must lie in \[0\.0, inf\]"))
    yield Case("poisson_nll", "negative_rate", {"input": -rate[0], "target": y[0]}, {"log_input": False},
               tags={"bad_input"}, error=("input", r"rates \(input \+ eps\) must lie in"))


@cases("gaussian_nll")
def _gaussian_nll(rng):
    x, y = rng.normal(size=(2, 8, 5))
    v = np.exp(rng.normal(size=(8, 5)))
    yield Case("gaussian_nll", "interior_8x5", {"input": x, "target": y, "var": v})
    yield Case("gaussian_nll", "interior_batch1", {"input": x[:1], "target": y[:1], "var": v[:1]})
    vs = v.copy()
    vs[0, :3] = [0.0, 1e-8, 5e-7]  # below eps: the clamp shows
    yield Case("gaussian_nll", "full_eps_1e-6", {"input": x, "target": y, "var": vs}, {"full": True, "eps": 1e-6},
               note="three variances below eps on row 0")
    yield Case("gaussian_nll", "full", {"input": x, "target": y, "var": v}, {"full": True})
    yield Case("gaussian_nll", "homoscedastic_last_dim_1", {"input": x, "target": y, "var": v[:, :1]})
    yield Case("gaussian_nll", "homoscedastic_dropped", {"input": x, "target": y, "var": v[:, 0].copy()})
    yield Case("gaussian_nll", "var_below_eps", {"input": x[:2], "target": y[:2],
                                                 "var": np.array([[0.0, 1e-9, 1e-6, 1e-3, 1.0]] * 2)},
               {"eps": 1e-6}, tags={"edge"}, note="torch clamps var under no_grad (clamp_no_grad=True)")
    yield Case("gaussian_nll", "extreme", {"input": EXTREME_X, "target": EXTREME_Y,
                                           "var": np.array([1e-30, 1e-30, 1e30, 1e36, 1e-30, 1e-38])},
               tags={"extreme"})
    yield Case("gaussian_nll", "nonfinite", {"input": NONFINITE_X, "target": NONFINITE_Y,
                                             "var": np.array([1.0, 1.0, np.inf, 1.0, np.nan])}, tags={"nonfinite"})
    yield Case("gaussian_nll", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3)),
                                         "var": np.zeros((0, 3))}, tags={"edge"})
    yield Case("gaussian_nll", "shape_mismatch", {"input": x, "target": y[:, :3], "var": v}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield Case("gaussian_nll", "negative_var", {"input": x, "target": y, "var": -v}, tags={"bad_input"},
               error=("var", r"values must lie in \[0\.0, inf\]"))
    yield Case("gaussian_nll", "var_wrong_shape", {"input": x, "target": y, "var": v[:, :2]}, tags={"bad_input"},
               error=("var", r"expected shape"))


# ---------------------------------------------------------------- beyond the documents (LOSSES.md, 2026-12-01)


PIN = "a convention's value: the bindings take it as their convention on every cell; this case pins it in the reference"


@cases("log_cosh")
def _log_cosh(rng):
    yield from _elementwise("log_cosh", rng)
    yield Case("log_cosh", "small_d", {"input": np.array([1e-5, -3e-4, 0.0, 1e-20, 0.9, 2.0]),
                                       "target": np.array([0.0, 0.0, 0.0, 0.0, 0.0, 2.0 - 1e-3])}, tags={"extreme"},
               note="log cosh d ~ d^2 / 2: the form d + softplus(-2d) - log 2 cancels here")
    yield Case("log_cosh", "large_d", {"input": np.array([1e3, -1e3, 50.0, 711.0, -89.0, 1e30]),
                                       "target": np.array([0.0, 0.0, -50.0, 0.0, 0.0, 0.0])}, tags={"extreme"},
               note="cosh overflows beyond 710 (float64) and 89 (float32); the loss is |d| - log 2")


@cases("mape")
def _mape(rng):
    yield from _elementwise("mape", rng)
    y = np.array([0.0, 1e-9, -1e-17, 1e-7, 2.0, 0.0])
    x = np.array([1.0, 0.5, 1e-17, 2e-7, 1.0, 0.0])
    yield Case("mape", "keras_small_targets", {"input": x, "target": y}, {"scale": 100.0, "eps": 1e-7},
               tags={"edge", "reference_only"}, note="Keras: 100 |d| / max(|y|, 1e-7); " + PIN)
    yield Case("mape", "sklearn_small_targets", {"input": x, "target": y}, {"eps": float(np.finfo(np.float64).eps)},
               tags={"edge", "reference_only"}, note="scikit-learn: |d| / max(|y|, float64 eps); " + PIN)
    yield Case("mape", "target_zero", {"input": x, "target": y}, tags={"edge", "nonfinite"},
               note="eps = 0: y = 0 gives inf (x != 0) and NaN (x = 0)")
    t = rng.normal(size=6)
    xs = t.copy()
    xs[::2] += rng.normal(size=3)
    yield Case("mape", "kink_d_zero", {"input": xs, "target": t}, tags={"kink"})
    yield Case("mape", "negative_eps", {"input": xs, "target": t}, {"eps": -1.0}, tags={"bad_input", "reference_only"},
               note="eps is no binding's argument",
               error=("eps", r"expected >= 0"))


def _positive(rng, loss, *shape):
    return {"input": np.exp(rng.normal(size=shape)), "target": np.exp(rng.normal(size=shape))}


@cases("msle")
def _msle(rng):
    a = _positive(rng, "msle", 8, 5)
    yield Case("msle", "interior_8x5", a)
    yield Case("msle", "interior_batch1", _positive(rng, "msle", 1, 3))
    yield Case("msle", "interior_3d", _positive(rng, "msle", 2, 3, 4))
    below = {"input": np.array([-0.5, 0.0, 1e-9, -3.0, 2.0, 1.0]), "target": np.array([0.0, -2.0, 1.0, 0.5, 2.0, 0.0])}
    yield Case("msle", "keras_clip_below_eps", below, {"clip_min": 1e-7}, tags={"edge", "reference_only"},
               note="Keras raises x and y to its epsilon 1e-7 first, and so accepts any value; " + PIN)
    yield Case("msle", "keras_clip_interior", {"input": a["input"] - 1.2, "target": a["target"] - 0.5},
               {"clip_min": 1e-7}, tags={"interior", "reference_only"},
               note="about half the values are clipped; " + PIN)
    yield Case("msle", "near_minus_one", {"input": np.array([-1 + 1e-6, -0.999, -0.5, 0.0]),
                                          "target": np.array([0.0, -0.999, 1.0, -1 + 1e-6])}, tags={"extreme"})
    yield Case("msle", "near_equal_large", {"input": np.array([1e8, 1e30, 3.0, 1e-30, 7.0]),
                                            "target": np.array([1e8 + 16, 2e30, 3.0, 0.0, 7.0 + 1e-6])},
               tags={"extreme"}, note="log1p x - log1p y cancels: the reference forms log1p((x - y) / (1 + y))")
    yield Case("msle", "nonfinite", {"input": np.array([np.nan, np.inf, 1.0, 0.5, np.inf]),
                                     "target": np.array([0.0, 0.0, np.inf, np.nan, np.inf])}, tags={"nonfinite"})
    yield Case("msle", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case("msle", "shape_mismatch", {"input": a["input"], "target": a["target"][:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield shape_broadcasts("msle", a)
    yield Case("msle", "input_at_minus_one", {"input": np.array([-1.0, 0.5]), "target": np.array([0.0, 0.5])},
               tags={"bad_input"}, note="scikit-learn rejects values <= -1", error=("input", r"log1p needs > -1"))
    yield Case("msle", "target_below_minus_one", {"input": np.array([1.0, 0.5]), "target": np.array([-2.0, 0.5])},
               tags={"bad_input"}, error=("target", r"log1p needs > -1"))


@cases("rmsle")
def _rmsle(rng):
    a = _positive(rng, "rmsle", 8, 5)
    yield Case("rmsle", "interior_8x5", a, note="reduction none: one value per output (sklearn raw_values)")
    yield Case("rmsle", "interior_1d", _positive(rng, "rmsle", 9))
    yield Case("rmsle", "interior_batch1", _positive(rng, "rmsle", 1, 3))
    yield Case("rmsle", "extreme", {"input": np.array([1e30, -1 + 1e-6, 1e-30, 3.0]),
                                    "target": np.array([1e-30, 0.0, 0.0, 3.0 + 1e-6])}, tags={"extreme"})
    yield Case("rmsle", "zero_error", {"input": np.array([1.0, 2.0, 0.5]), "target": np.array([1.0, 2.0, 0.5])},
               tags={"edge"}, note="sqrt at 0: the gradient 0 / 0 is NaN in the reference (no one-sided bounds)")
    yield Case("rmsle", "nonfinite", {"input": np.array([np.nan, 1.0, 2.0]), "target": np.array([0.0, np.inf, 1.0])},
               tags={"nonfinite"})
    yield Case("rmsle", "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"bad_input"},
               note="no samples: no statistic (sklearn raises too)", error=("input", r"expected at least one sample"))
    yield Case("rmsle", "input_at_minus_one", {"input": np.array([-1.0, 0.5]), "target": np.array([0.0, 0.5])},
               tags={"bad_input"}, error=("input", r"log1p needs > -1"))
    yield Case("rmsle", "shape_mismatch", {"input": a["input"], "target": a["target"][:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))


@cases("pinball")
def _pinball(rng):
    yield from _elementwise("pinball", rng, ({"alpha": 0.9}, {"alpha": 0.1}))
    t = rng.normal(size=6)
    x = t.copy()
    x[::2] += rng.normal(size=3)
    yield Case("pinball", "kink_d_zero", {"input": x, "target": t}, tags={"kink"})
    yield Case("pinball", "kink_d_zero_alpha_0.9", {"input": x, "target": t}, {"alpha": 0.9}, tags={"kink"})
    yield Case("pinball", "alpha_out_of_range", {"input": x, "target": t}, {"alpha": 1.5}, tags={"bad_input"},
               error=("alpha", r"expected a value in \[0, 1\]"))


@cases("tweedie_deviance")
def _tweedie_deviance(rng):
    a = _positive(rng, "tweedie_deviance", 8, 5)
    yield Case("tweedie_deviance", "interior_8x5", a, note="power 0: the squared error")
    yield Case("tweedie_deviance", "interior_batch1", _positive(rng, "tweedie_deviance", 1, 3))
    for p in (1.0, 2.0, 1.5, 3.0, -1.0):
        yield Case("tweedie_deviance", f"power_{p:g}", a, {"power": p})
    counts = {"input": np.array([0.5, 2.0, 1e-3, 3.0]), "target": np.array([0.0, 0.0, 0.0, 3.0])}
    yield Case("tweedie_deviance", "poisson_zero_counts", counts, {"power": 1.0}, tags={"edge"},
               note="y = 0 is in the domain for 1 <= power < 2: 2 x")
    yield Case("tweedie_deviance", "compound_zero_counts", counts, {"power": 1.5}, tags={"edge"})
    near = {"input": np.array([1.0, 1.0 + 1e-6, 3.0 * (1 - 1e-5), 1e8 + 16, 0.5]),
            "target": np.array([1.0, 1.0, 3.0, 1e8, 0.5 * (1 + 1e-4)])}
    for p in (1.0, 2.0, 1.5):
        yield Case("tweedie_deviance", f"near_minimum_power_{p:g}", near, {"power": p}, tags={"extreme"},
                   note="the deviance vanishes to second order at x = y: the plain formula cancels")
    yield Case("tweedie_deviance", "extreme_power_1", {"input": np.array([1e-30, 1e30, 1e-30, 1e18]),
                                                       "target": np.array([1e30, 1e-30, 0.0, 1e-18])},
               {"power": 1.0}, tags={"extreme"})
    yield Case("tweedie_deviance", "extreme_stable_negative_y", {"input": np.array([0.5, 2.0, 1.0]),
                                                                "target": np.array([-1.0, 0.0, 3.0])},
               {"power": -1.0}, tags={"edge"}, note="power < 0 takes any y (max(y, 0) in the first term)")
    yield Case("tweedie_deviance", "nonfinite", {"input": np.array([np.nan, np.inf, 1.0]),
                                                 "target": np.array([1.0, 1.0, np.nan])}, {"power": 1.5},
               tags={"nonfinite"})
    yield Case("tweedie_deviance", "empty", {"input": np.zeros((0, 2)), "target": np.zeros((0, 2))}, tags={"edge"})
    yield Case("tweedie_deviance", "power_between_0_and_1", a, {"power": 0.5}, tags={"bad_input"},
               error=("power", r"defined for power <= 0 or power >= 1"))
    yield Case("tweedie_deviance", "zero_prediction", {"input": np.array([0.0, 1.0]), "target": np.array([1.0, 1.0])},
               {"power": 1.0}, tags={"bad_input"}, error=("input", r"power != 0 needs > 0"))
    yield Case("tweedie_deviance", "gamma_zero_target", counts, {"power": 2.0}, tags={"bad_input"},
               error=("target", r"power >= 2 needs > 0"))
    yield Case("tweedie_deviance", "negative_count", {"input": np.array([1.0, 1.0]), "target": np.array([-1.0, 1.0])},
               {"power": 1.5}, tags={"bad_input"}, error=("target", r"values must lie in \[0\.0, inf\]"))
    yield Case("tweedie_deviance", "shape_mismatch", {"input": a["input"], "target": a["target"][:, :3]},
               tags={"bad_input"}, error=("target", r"shape mismatch"))


def _batch_statistic(loss, rng):
    x, y = rng.normal(size=(2, 8, 5))
    yield Case(loss, "interior_8x5", {"input": x, "target": y}, note="reduction none: one value per output")
    yield Case(loss, "interior_1d", {"input": x[:, 0].copy(), "target": y[:, 0].copy()},
               note="scikit-learn's 1-D form")
    yield Case(loss, "interior_1d_even", {"input": x[:6, 1].copy(), "target": y[:6, 1].copy()})
    yield Case(loss, "interior_batch1", {"input": x[:1], "target": y[:1]})
    yield Case(loss, "ties", {"input": np.array([1.0, -3.0, 3.0, 0.5, -1.0]), "target": np.zeros(5)}, tags={"kink"},
               note="|d| ties at the max and around the median")
    yield Case(loss, "extreme", {"input": EXTREME_X, "target": EXTREME_Y}, tags={"extreme"})
    yield Case(loss, "nonfinite", {"input": np.array([[np.nan, 1.0], [1.0, np.inf], [0.5, 2.0]]),
                                   "target": np.zeros((3, 2))}, tags={"nonfinite"})
    yield Case(loss, "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"bad_input"},
               note="no samples: no statistic (scikit-learn raises too)",
               error=("input", r"expected at least one sample"))
    yield Case(loss, "shape_mismatch", {"input": x, "target": y[:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))


@cases("max_error")
def _max_error(rng):
    yield from _batch_statistic("max_error", rng)


@cases("median_absolute_error")
def _median_absolute_error(rng):
    yield from _batch_statistic("median_absolute_error", rng)


def _score_cases(loss, rng, params_paths):
    x, y = rng.normal(size=(2, 8, 3))
    yield Case(loss, "interior_8x3", {"input": y + 0.5 * x, "target": y}, note="reduction none: one score per output")
    yield Case(loss, "interior_1d", {"input": y[:, 0] + x[:, 0], "target": y[:, 0].copy()},
               note="scikit-learn's 1-D form")
    for id, p in params_paths:
        yield Case(loss, id, {"input": y + 0.5 * x, "target": y}, p)
    const = {"input": np.array([[1.0, 2.0], [1.0, 3.0], [2.0, 4.0]]), "target": np.array([[1.0, 2.0], [1.0, 3.0],
                                                                                         [1.0, 4.0]])}
    yield Case(loss, "constant_target", const, tags={"edge"},
               note="a constant column: 1 - num / 0 = -inf (the definition); the other column is perfect: 1")
    # d2: force_finite is no argument of scikit-learn's d2 scores (a convention of two, False in d2_tweedie_score)
    pinned = {"reference_only"} if loss == "d2_score" else set()
    why = "; d2: " + PIN if pinned else ""
    yield Case(loss, "constant_target_force_finite", const, {"force_finite": True}, tags={"edge"} | pinned,
               note="scikit-learn's default: 0 for an imperfect constant column, 1 for a perfect one" + why)
    yield Case(loss, "batch1_force_finite", {"input": np.array([0.5]), "target": np.array([1.0])},
               {"force_finite": True}, tags={"edge"} | pinned,
               note="one sample: the best constant is perfect, den = 0" + why)
    yield Case(loss, "offset_1e8", {"input": y[:, 0] + 1e8 + 0.1 * x[:, 0], "target": y[:, 0] + 1e8},
               tags={"extreme"}, note="deviations from the mean must survive a large common offset")
    yield Case(loss, "nonfinite", {"input": np.array([0.0, np.nan, 1.0]), "target": np.array([1.0, 2.0, 0.5])},
               tags={"nonfinite"})
    yield Case(loss, "empty", {"input": np.zeros((0, 2)), "target": np.zeros((0, 2))}, tags={"bad_input"},
               error=("input", r"expected at least one sample"))
    yield Case(loss, "shape_mismatch", {"input": x, "target": y[:, :2]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))


@cases("r2")
def _r2(rng):
    yield from _score_cases("r2", rng, ())


@cases("explained_variance")
def _explained_variance(rng):
    yield from _score_cases("explained_variance", rng, ())
    x = rng.normal(size=8)
    yield Case("explained_variance", "biased_prediction", {"input": x + 3.0, "target": x + 0.1 * rng.normal(size=8)},
               note="a constant bias: explained variance ignores it, r2 does not")


@cases("d2_score")
def _d2_score(rng):
    yield from _score_cases("d2_score", rng, (("pinball_alpha_0.9", {"loss": "pinball", "alpha": 0.9}),
                                              ("pinball_alpha_0.1", {"loss": "pinball", "alpha": 0.1})))
    pos = {"input": np.exp(rng.normal(size=9)), "target": np.exp(rng.normal(size=9))}
    for p in (0.0, 1.0, 1.5, 2.0):
        yield Case("d2_score", f"tweedie_power_{p:g}", pos, {"loss": "tweedie", "power": p},
                   note="scikit-learn d2_tweedie_score (1-D, force_finite=False)")
    yield Case("d2_score", "tweedie_negative_prediction", {"input": -pos["input"], "target": pos["target"]},
               {"loss": "tweedie", "power": 1.0}, tags={"bad_input"}, error=("input", r"power != 0 needs > 0"))
    yield Case("d2_score", "unknown_loss", pos, {"loss": "squared_error"}, tags={"bad_input", "reference_only"},
               note="no d2 binding takes a loss name",
               error=("loss", r"expected one of"))


# ---------------------------------------------------------------- pairwise (issue 11, batch NL1)


@cases("mean_pairwise_squared_error")
def _mean_pairwise_squared_error(rng):
    loss = "mean_pairwise_squared_error"
    x, y = rng.normal(size=(2, 4, 5))
    one = {"input": rng.normal(size=(1, 3, 4)), "target": rng.normal(size=(1, 3, 4))}
    batch_only = ("reference_only",)
    why = "; reference_only: tf.compat.v1's eager scalar-weights count, which its cells reproduce (a divergence)"
    yield Case(loss, "interior_4x5", {"input": x, "target": y}, note="pairs within each of the 4 samples")
    yield Case(loss, "interior_batch1", one, note="one sample of 3 x 4 elements (the pairs span both axes)")
    yield Case(loss, "count_batch", {"input": x, "target": y}, {"count": "batch"}, tags={"interior", *batch_only},
               note="normalised by the batch's 20 elements, not the sample's 5" + why)
    yield Case(loss, "count_batch_3d", {"input": rng.normal(size=(3, 2, 2)), "target": rng.normal(size=(3, 2, 2))},
               {"count": "batch"}, tags={"interior", *batch_only}, note="12 elements, not 4" + why)
    yield Case(loss, "common_offset", {"input": 100.0 + y[:1] + 0.01 * x[:1], "target": y[:1]}, tags={"extreme"},
               note="d = 100 + 0.01 z: the plain sum d^2 - (sum d)^2 / K cancels by a factor of 1e6")
    yield Case(loss, "one_element_each", {"input": np.array([[0.5], [-1.0], [2.0]]),
                                          "target": np.array([[0.0], [0.5], [1.0]])}, tags={"edge"},
               note="no pair in any sample: each is the mean of nothing (NaN)")
    yield Case(loss, "single_element", {"input": np.array([[0.5]]), "target": np.array([[0.0]])}, tags={"edge"},
               note="one sample with one element: no pair at all")
    yield Case(loss, "extreme", {"input": np.array([[1e-30, -3e-30, 1e15, 1e-38]]),
                                 "target": np.array([[2e-30, 1e-30, -1e15, 0.0]])}, tags={"extreme"},
               note="tiny and large differences in one sample; the squares stay within float32")
    yield Case(loss, "nonfinite", {"input": np.array([[np.inf, 0.0, 1.0]]), "target": np.array([[0.0, np.nan, 1.0]])},
               tags={"nonfinite"})
    yield Case(loss, "empty", {"input": np.zeros((0, 3)), "target": np.zeros((0, 3))}, tags={"edge"})
    yield Case(loss, "shape_mismatch", {"input": x, "target": y[:, :3]}, tags={"bad_input"},
               error=("target", r"shape mismatch"))
    yield Case(loss, "unknown_count", {"input": x, "target": y}, {"count": "pairs"},
               tags={"bad_input", "reference_only"}, note="no binding takes count", error=("count", r"expected one of"))


@cases("d2_score")
def _d2_probabilistic(rng):
    """d2 of log_loss and brier_score (issue 11, batch NL1): probabilities against class labels."""
    i = np.int64
    yb = np.array([0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1], dtype=i)
    pb = rng.uniform(0.05, 0.95, 12)
    ym = rng.integers(0, 4, 10).astype(i)
    ym[:4] = [0, 1, 2, 3]
    pm = rng.dirichlet(np.ones(4), size=10)
    for loss in ("log_loss", "brier"):
        p = {"loss": loss}
        yield Case("d2_score", f"{loss}_binary_12", {"input": pb, "target": yb}, p)
        yield Case("d2_score", f"{loss}_multiclass_10x4", {"input": pm, "target": ym}, p)
        yield Case("d2_score", f"{loss}_class_missing", {"input": pm[:6], "target": np.where(ym[:6] == 2, 0, ym[:6])},
                   p, tags={"edge"}, note="class 2 never a target: its frequency (the best constant's) is 0")
        yield Case("d2_score", f"{loss}_one_class", {"input": pb[:5], "target": np.ones(5, dtype=i)}, p,
                   tags={"edge"}, note="every target 1: the best constant is exact, den = 0, 1 - num / 0 = -inf")
        yield Case("d2_score", f"{loss}_batch1", {"input": pm[:1], "target": ym[:1]}, p, tags={"edge"},
                   note="one sample: the best constant is exact (den = 0)")
        yield Case("d2_score", f"{loss}_saturated", {"input": np.array([0.0, 1.0, 1.0, 0.0, 1e-12]),
                                                     "target": np.array([0, 0, 1, 1, 1], dtype=i)},
                   p, tags={"saturation"}, note="p = 0 and 1 on the wrong class (log loss inf), and 1e-12")
        yield Case("d2_score", f"{loss}_probability_above_1", {"input": np.array([0.5, 1.5, 0.2]),
                                                               "target": np.array([1, 0, 1], dtype=i)},
                   p, tags={"bad_input"}, error=("input", r"probabilities must lie in"))
