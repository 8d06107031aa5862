"""Cases for nce and sampled_softmax: a linear layer over C classes, each sample's true classes and a shared set of
sampled classes (the sampler's output, fixed here: TensorFlow's ``sampled_values``)."""

import numpy as np

from ._core import Case, cases

I = np.int64  # noqa: E741
DEFAULT_REMOVE = {"nce": False, "sampled_softmax": True}  # TensorFlow's defaults, the references' too


def _layer(rng, n, d=4, c=10, t=1, s=5, scale=1.0):
    labels = rng.integers(0, c, size=(n, t)).astype(I)
    sampled = rng.permutation(c)[:s].astype(I)  # unique, as TensorFlow's default samplers draw (unique=True)
    return {"inputs": scale * rng.normal(size=(n, d)), "weights": rng.normal(size=(c, d)), "biases": rng.normal(size=c),
            "labels": labels, "sampled": sampled, "true_expected_count": rng.uniform(0.05, 1.0, size=(n, t)),
            "sampled_expected_count": rng.uniform(0.05, 1.0, size=s)}


def _with_hits(arrays):
    """Sampled classes that are true classes of some samples (accidental hits): the first two samples' first
    classes, put first among the (still unique) sampled ids."""
    hits = list(dict.fromkeys(arrays["labels"][:2, 0].tolist()))
    rest = [k for k in arrays["sampled"].tolist() if k not in hits]
    return dict(arrays, sampled=np.array(hits + rest, dtype=I)[: len(arrays["sampled"])])


def _sampled_cases(loss, rng):
    def case(id, arrays, params=None, tags=("interior",), note="", error=None):
        return Case(loss, id, arrays, params or {}, tags=set(tags), note=note, error=error)

    flip = {"remove_accidental_hits": not DEFAULT_REMOVE[loss]}
    flipped = "hits_kept" if DEFAULT_REMOVE[loss] else "hits_removed"
    base = _layer(rng, 6)
    yield case("interior_6", base)
    yield case("batch1", _layer(rng, 1))
    two = _layer(rng, 5, t=2)
    yield case("num_true_2", two, note="two true classes per sample, each with label 1 / 2")
    hits = _with_hits(base)
    yield case("accidental_hits", hits, note="the first two samples' true classes are also sampled")
    yield case(f"accidental_{flipped}", hits, flip, note="remove_accidental_hits the other way from the default")
    hits2 = _with_hits(two)
    yield case(f"accidental_{flipped}_num_true_2", hits2, flip)
    yield case("large_logits", _layer(rng, 4, scale=300.0), tags=("saturation",),
               note="logits of order 1e3: softplus and logsumexp must not overflow")
    extreme = _layer(rng, 4)
    extreme["true_expected_count"] = np.array([[1e-30], [1e30], [1.0], [1e-3]])
    extreme["sampled_expected_count"] = np.array([1e-30, 1e30, 1.0, 1e-3, 2.0])
    yield case("extreme_counts", extreme, tags=("extreme",), note="expected counts 1e-30 and 1e30: -log q = +-69")
    s = hits["sampled"]
    dup = dict(hits, sampled=np.concatenate([s[:1], s[:-1]]))
    yield case("duplicate_sampled_hit", dup, {"remove_accidental_hits": True}, tags=("edge",),
               note="a sampled class drawn twice that is sample 0's true class: both draws are removed")
    nonfinite = _layer(rng, 3)
    nonfinite["inputs"][0, 1] = np.nan
    nonfinite["inputs"][1, 0] = np.inf
    yield case("nonfinite", nonfinite, tags=("nonfinite",))
    empty = _layer(rng, 0)
    yield case("empty", empty, tags=("edge",))
    bad = dict(base, labels=np.where(np.arange(6)[:, None] == 0, 10, base["labels"]).astype(I))
    yield case("label_out_of_range", bad, tags=("bad_input",), error=("labels", r"class indices must lie in"))
    bad = dict(base, sampled=np.array([0, 1, 2, 3, 12], dtype=I))
    yield case("sampled_out_of_range", bad, tags=("bad_input",), error=("sampled", r"class indices must lie in"))
    bad = dict(base, sampled_expected_count=np.array([0.5, 0.0, 0.2, 0.1, 1.0]))
    yield case("zero_expected_count", bad, tags=("bad_input",),
               error=("sampled_expected_count", r"expected counts \(> 0\)"))
    bad = dict(base, weights=base["weights"][:, :3])
    yield case("dimension_mismatch", bad, tags=("bad_input",), error=("weights", r"expected shape"))


@cases("nce")
def _nce(rng):
    yield from _sampled_cases("nce", rng)


@cases("sampled_softmax")
def _sampled_softmax(rng):
    yield from _sampled_cases("sampled_softmax", rng)
