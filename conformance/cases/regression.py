"""Cases for l1, mse, smooth_l1, huber, poisson_nll, gaussian_nll."""

import numpy as np

from ._core import Case, cases

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


@cases("l1")
def _l1(rng):
    yield from _elementwise("l1", rng)
    t = rng.normal(size=6)
    x = t.copy()
    x[::2] += rng.normal(size=3)
    yield Case("l1", "kink_d_zero", {"input": x, "target": t}, tags={"kink"}, note="d = 0 on every other element")


@cases("mse")
def _mse(rng):
    yield from _elementwise("mse", rng)
    yield Case("mse", "document_003", {"input": np.array([0.1, 0.2, 0.3, 0.4, 0.5]),
                                       "target": np.array([1.0, 1.0, 0.0, 1.0, 1.0])},
               note="003_76f20136c8b21606.txt: L2 sum = 2.15")


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
