"""Cases for ranking_softmax: scores (N, L) of N lists, relevance labels >= 0, optional where / weights."""

import numpy as np

from ._core import Case, cases


@cases("ranking_softmax")
def _ranking_softmax(rng):
    def case(id, x, y, params=None, tags=("interior",), note="", error=None):
        return Case("ranking_softmax", id, {"input": x, "target": y}, params or {}, set(tags), note, error)

    x, y = 2 * rng.normal(size=(6, 5)), rng.integers(0, 4, size=(6, 5)).astype(np.float64)
    where = rng.random((6, 5)) < 0.7
    where[:, 0] = True
    weights = rng.random((6, 5)) * 2
    yield case("interior_6x5", x, y, note="graded relevance 0..3")
    yield case("one_hot_relevance", x, np.eye(5)[rng.integers(0, 5, size=6)], note="softmax cross entropy")
    yield case("where", x, y, {"where": where})
    yield case("where_graded", rng.normal(size=(4, 6)), rng.random((4, 6)) * 5, {"where": rng.random((4, 6)) < 0.6})
    yield case("weights", x, y, {"weights": weights})
    yield case("weights_where", x, y, {"weights": weights, "where": where})
    yield case("ties", np.full((2, 4), 3.0), np.array([[1.0, 0.0, 2.0, 0.0], [0.0, 0.0, 0.0, 1.0]]),
               note="a uniform softmax")
    masked = where.copy()
    masked[2] = False
    yield case("a_list_without_valid_items", x, y, {"where": masked}, tags=("edge",),
               note="loss 0 for that list, left out of the mean")
    yield case("no_relevant_item", x[:2], np.zeros((2, 5)), tags=("edge",), note="all labels 0: loss 0")
    yield case("saturated", np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 30.0]]), np.array([[1.0, 0.0, 0.0],
                                                                                         [1.0, 1.0, 0.0]]),
               tags=("saturation",))
    yield case("extreme", np.array([[1e8, 1e8 + 64, 1e8 - 64], [1e-30, 0.0, -1e-30]]), np.array([[1.0, 2.0, 0.0],
                                                                                                 [0.0, 3.0, 1.0]]),
               tags=("extreme",))
    yield case("nonfinite", np.array([[np.nan, 0.0, 1.0], [-np.inf, 0.0, 1.0]]), np.array([[1.0, 0.0, 0.0],
                                                                                          [0.0, 1.0, 0.0]]),
               tags=("nonfinite",))
    yield case("empty", np.zeros((0, 5)), np.zeros((0, 5)), tags=("edge",))
    yield case("negative_label", x, -y, tags=("bad_input",), error=("target", r"must lie in"))
    yield case("weights_shape", x, y, {"weights": np.ones(5)}, tags=("bad_input",), error=("weights", r"shape"))
