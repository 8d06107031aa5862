"""Sampled losses over a class-weight matrix: TensorFlow's noise-contrastive estimation and sampled softmax.

Both score each sample's true classes and a shared set of sampled classes with the same linear layer,
logit_c = inputs . weights[c] + biases[c] - log(expected count of c): the logit corrected by the log of
how often the sampler is expected to draw c (TensorFlow's subtract_log_q, always on in both APIs).  The
sampling itself is left out: the sampled ids and both expected counts are inputs (TensorFlow's
``sampled_values``), so the loss is deterministic.

Inputs: inputs (N, D), weights (C, D), biases (C,) (floats, differentiable), labels (N, T) class indices
(T true classes per sample), sampled (S,) class indices, true_expected_count (N, T) and
sampled_expected_count (S,) (floats > 0).  remove_accidental_hits: a sampled class that is one of the
sample's own true classes is left out of that sample's loss (TensorFlow adds -FLT_MAX to its logit, which
contributes exactly 0 as well).
"""

import autograd.numpy as np
from autograd.tracer import getval

from ._core import floats, in_range, integers, register, shape_is

INPUTS = ("inputs", "weights", "biases", "labels", "sampled", "true_expected_count", "sampled_expected_count")
DIFFERENTIABLE = ("inputs", "weights", "biases")


def _sampled_logits(inputs, weights, biases, labels, sampled, true_expected_count, sampled_expected_count,
                    remove_accidental_hits):
    """(true logits (N, T), sampled logits (N, S), accidental hits (N, S) boolean, or all False)."""
    if np.ndim(inputs) != 2:
        raise ValueError(f"inputs: expected a batch of vectors (N, D), got shape {np.shape(inputs)}")
    n, dim = np.shape(inputs)
    if np.ndim(weights) != 2:
        raise ValueError(f"weights: expected one row per class (C, D), got shape {np.shape(weights)}")
    c = np.shape(weights)[0]
    shape_is("weights", weights, (c, dim), " (one row of D = inputs.shape[1] per class)")
    shape_is("biases", biases, (c,), " (one per class, as weights' rows)")
    integers("labels", labels)
    if np.ndim(labels) != 2 or np.shape(labels)[0] != n:
        raise ValueError(f"labels: expected (N, num_true) class indices with N = {n}, got shape {np.shape(labels)}")
    integers("sampled", sampled)
    if np.ndim(sampled) != 1:
        raise ValueError(f"sampled: expected (num_sampled,) class indices, got shape {np.shape(sampled)}")
    in_range("labels", labels, 0, c - 1, "class indices")
    in_range("sampled", sampled, 0, c - 1, "class indices")
    for name, count, shape in (("true_expected_count", true_expected_count, np.shape(labels)),
                               ("sampled_expected_count", sampled_expected_count, np.shape(sampled))):
        floats(name, count)
        shape_is(name, count, shape)
        in_range(name, count, 5e-324, np.inf, "expected counts (> 0)")
    true = np.sum(inputs[:, None, :] * weights[labels], axis=2) + biases[labels] - np.log(true_expected_count)
    samp = np.dot(inputs, np.transpose(weights[sampled])) + biases[sampled] - np.log(sampled_expected_count)
    hits = np.any(labels[:, :, None] == sampled[None, None, :], axis=1) & remove_accidental_hits
    return true, samp, hits


def _softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^-|x|): no overflow, and its derivative (the sigmoid) reaches 0 and 1 at
    x = -inf and +inf (logaddexp's is exp(x - inf) = NaN there; -|x| as min(x, -x), whose derivative autograd
    takes as -sign(x), not as x / |x| = inf / inf)."""
    return np.maximum(x, 0.0) + np.log1p(np.exp(np.minimum(x, -x)))


def _true_term(logit, t):
    """softplus(l) - l / T, the sigmoid cross entropy at label 1 / T, as two nonnegative terms: softplus(-l) +
    l (1 - 1 / T) for l >= 0 (softplus(l) - l cancels to e^-l there), softplus(l) - l / T below."""
    above = _softplus(-logit) + (logit * (1.0 - 1.0 / t) if t > 1 else 0.0)  # (for T = 1 no inf * 0 at l = inf)
    return np.where(logit >= 0, above, _softplus(logit) - logit / t)


@register("nce", inputs=INPUTS, differentiable=DIFFERENTIABLE)
def nce(inputs, weights, biases, labels, sampled, true_expected_count, sampled_expected_count,
        remove_accidental_hits=False):
    """Noise-contrastive estimation loss per sample: the sigmoid cross entropy of every logit against its label,
    1 / T for the T true classes and 0 for the sampled ones, summed:
    sum_t (softplus(l_t) - l_t / T) + sum_s softplus(l_s)   (softplus(l) = log(1 + e^l), as logaddexp(0, l)).

    Source: Gutmann and Hyvarinen (2010); tensorflow 2.21 ``tf.nn.nce_loss`` (nn_impl.py: _compute_sampled_logits
    with subtract_log_q=True, sigmoid_cross_entropy_with_logits, _sum_rows; remove_accidental_hits=False by
    default)."""
    true, samp, hits = _sampled_logits(inputs, weights, biases, labels, sampled, true_expected_count,
                                       sampled_expected_count, remove_accidental_hits)
    t = np.shape(true)[1]
    positive = np.sum(_true_term(true, t), axis=1)
    return positive + np.sum(np.where(hits, 0.0, _softplus(samp)), axis=1)


@register("sampled_softmax", inputs=INPUTS, differentiable=DIFFERENTIABLE)
def sampled_softmax(inputs, weights, biases, labels, sampled, true_expected_count, sampled_expected_count,
                    remove_accidental_hits=True):
    """Sampled softmax loss per sample: the softmax cross entropy over the T true and S sampled logits, each true
    class with probability 1 / T:  logsumexp(l_1..l_T, l_s for s not an accidental hit) - mean_t l_t.

    Source: Jean et al. (2015); tensorflow 2.21 ``tf.nn.sampled_softmax_loss`` (nn_impl.py:
    _compute_sampled_logits with subtract_log_q=True, softmax_cross_entropy_with_logits_v2;
    remove_accidental_hits=True by default)."""
    true, samp, hits = _sampled_logits(inputs, weights, biases, labels, sampled, true_expected_count,
                                       sampled_expected_count, remove_accidental_hits)
    logits = np.concatenate([true, np.where(hits, -np.inf, samp)], axis=1)
    # logsumexp = l_max + log1p(sum over the others of e^(l - l_max)): no overflow, and no 1 + tiny lost where one
    # logit dominates (the loss is then that tiny sum, for T = 1)
    first_max = np.arange(np.shape(logits)[1]) == np.argmax(getval(logits), axis=1)[:, None]
    top = np.sum(np.where(first_max, logits, 0.0), axis=1)
    rest = np.sum(np.where(first_max, 0.0, np.exp(logits - top[:, None])), axis=1)
    return (top - np.mean(true, axis=1)) + np.log1p(rest)
