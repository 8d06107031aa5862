"""Cases for l1, mse, smooth_l1, huber, poisson_nll, gaussian_nll."""

import numpy as np

from ._core import Case, cases


@cases("smooth_l1")
def _smooth_l1(rng):
    x, y = rng.normal(size=(2, 4, 5))
    yield Case("smooth_l1", "interior_4x5", {"input": x, "target": y}, tags={"interior"})
    yield Case("smooth_l1", "interior_beta_1_9", {"input": x, "target": y}, {"beta": 1 / 9})
    t = np.array([0.0, 0.5, -2.0])
    yield Case("smooth_l1", "kink_at_beta", {"input": t + 0.5, "target": t}, {"beta": 0.5}, tags={"kink"})
    yield Case("smooth_l1", "shape_mismatch", {"input": x, "target": y[:, :3]}, tags={"bad_input"})
