"""Cases for ctc: log_probs (T, N, C), targets (N, S) padded or 1-D, int64 lengths."""

import numpy as np

from ._core import Case, cases


def _log_softmax(x):
    x = x - x.max(axis=-1, keepdims=True)
    return x - np.log(np.exp(x).sum(axis=-1, keepdims=True))


def _arrays(log_probs, targets, input_lengths, target_lengths):
    return {"log_probs": np.asarray(log_probs, dtype=np.float64), "targets": np.asarray(targets, dtype=np.int64),
            "input_lengths": np.asarray(input_lengths, dtype=np.int64),
            "target_lengths": np.asarray(target_lengths, dtype=np.int64)}


@cases("ctc")
def _ctc(rng):
    T, N, C = 12, 3, 5
    x = rng.normal(size=(T, N, C))
    lp = _log_softmax(x)
    targets = rng.integers(1, C, size=(N, 4))
    yield Case("ctc", "interior_T12_N3_C5", _arrays(lp, targets, [12, 10, 12], [4, 2, 3]))
    repeats = [[1, 1, 2, 2], [3, 3, 3, 0], [2, 1, 2, 0]]
    yield Case("ctc", "repeats", _arrays(lp, repeats, [12, 12, 9], [4, 3, 3]),
               note="repeated labels need a blank between them")
    last = [[0, 1, 1, 3], [2, 0, 0, 0], [3, 2, 1, 0]]
    yield Case("ctc", "blank_last", _arrays(lp, last, [12, 11, 12], [4, 2, 3]), {"blank": C - 1})
    yield Case("ctc", "blank_2", _arrays(lp, [[1, 3, 4, 1], [4, 4, 0, 0], [0, 1, 3, 0]], [12, 11, 12], [4, 2, 3]),
               {"blank": 2})
    tight = [[1, 1, 1, 1], [1, 2, 3, 4], [2, 2, 0, 0]]  # needs 7, 4, 3 frames
    impossible = _arrays(lp, tight, [6, 3, 3], [4, 4, 2])
    yield Case("ctc", "impossible_alignment", impossible, tags={"edge"},
               note="samples 0 and 1 have no alignment (loss inf); sample 2 fits exactly")
    yield Case("ctc", "impossible_zero_infinity", impossible, {"zero_infinity": True}, tags={"edge"})
    yield Case("ctc", "impossible_repeats_zero_infinity",
               _arrays(lp, [[1, 1, 0, 0], [2, 3, 0, 0], [4, 4, 4, 0]], [2, 12, 4], [2, 2, 3]), {"zero_infinity": True},
               tags={"edge"}, note="samples 0 and 2 need 3 and 5 frames (a blank between repeats): loss inf -> 0")
    yield Case("ctc", "empty_target", _arrays(lp, [[0, 0], [1, 2], [0, 0]], [12, 12, 7], [0, 2, 0]),
               tags={"edge"}, note="loss = -sum_t log p(blank)")
    yield Case("ctc", "concatenated_targets", _arrays(lp, [1, 2, 3, 4, 4, 2, 1], [12, 12, 10], [3, 1, 3]))
    yield Case("ctc", "unnormalized_log_probs", _arrays(x, targets, [12, 10, 12], [4, 2, 3]), tags={"edge"},
               note="rows do not sum to 1; torch's ctc gradient assumes normalized log_probs")
    yield Case("ctc", "target_length_exceeds_targets", _arrays(lp, targets, [12, 12, 12], [5, 2, 3]),
               tags={"bad_input"}, error=("target_lengths", r"exceed the padded targets"))
    yield Case("ctc", "input_length_exceeds_T", _arrays(lp, targets, [13, 12, 12], [4, 2, 3]), tags={"bad_input"},
               error=("input_lengths", r"expected lengths in"))
    yield Case("ctc", "label_is_blank", _arrays(lp, [[1, 0, 2, 3]] * 3, [12, 12, 12], [4, 4, 4]),
               tags={"bad_input"}, error=("targets", r"differ from blank"))
