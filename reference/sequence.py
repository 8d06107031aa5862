"""Sequence losses: connectionist temporal classification (CTC)."""

import autograd.numpy as np
import numpy as onp
from autograd.tracer import getval

from ._core import floats, integers, register


def _check_ctc(log_probs, targets, input_lengths, target_lengths, blank):
    """Shapes, lengths and labels; returns the label sequence of every sample (plain ints)."""
    lp, tg = onp.asarray(getval(log_probs)), onp.asarray(targets)
    if lp.ndim != 3:
        raise ValueError(f"log_probs: expected shape (T, N, C), got {lp.shape}")
    T, N, C = lp.shape
    if not 0 <= blank < C:
        raise ValueError(f"blank: expected an index in [0, {C}), got {blank!r}")
    for name, a in (("targets", tg), ("input_lengths", input_lengths), ("target_lengths", target_lengths)):
        integers(name, a)
    for name, a, hi in (("input_lengths", input_lengths, T), ("target_lengths", target_lengths, None)):
        a = onp.asarray(a)
        if a.shape != (N,):
            raise ValueError(f"{name}: expected shape ({N},) (one length per sample), got {a.shape}")
        if onp.any(a < 0) or (hi is not None and onp.any(a > hi)):
            raise ValueError(f"{name}: expected lengths in [0, {hi if hi is not None else 'inf'}], got {a.tolist()}")
    lengths = onp.asarray(target_lengths).tolist()
    if tg.ndim == 2:  # (N, S) padded
        if tg.shape[0] != N:
            raise ValueError(f"targets: expected {N} rows (one per sample), got shape {tg.shape}")
        if max(lengths, default=0) > tg.shape[1]:
            raise ValueError(f"target_lengths: {lengths} exceed the padded targets' length {tg.shape[1]}")
        labels = [tg[n, : lengths[n]] for n in range(N)]
    elif tg.ndim == 1:  # concatenated
        if sum(lengths) != tg.size:
            raise ValueError(f"targets: 1-D (concatenated) targets must hold sum(target_lengths) = "
                             f"{sum(lengths)} labels, got {tg.size}")
        ends = onp.cumsum(lengths)
        labels = [tg[e - k : e] for e, k in zip(ends, lengths, strict=True)]
    else:
        raise ValueError(f"targets: expected shape (N, S) or (sum(target_lengths),), got {tg.shape}")
    for seq in labels:
        bad = (seq < 0) | (seq >= C) | (seq == blank)
        if onp.any(bad):
            raise ValueError(f"targets: labels must lie in [0, {C}) and differ from blank={blank}, "
                             f"got {seq[bad][0]!r}")
    return [[int(v) for v in seq] for seq in labels]


def _logsumexp(terms):
    out = terms[0]
    for t in terms[1:]:
        out = np.logaddexp(out, t)
    return out


def _ctc_nll(lp, labels, blank):
    """-log p(labels | lp) for one sample: lp (T, C) log-probabilities, labels a list of ints.

    The extended sequence puts a blank around every label: b l1 b l2 ... lL b (2L + 1
    states).  alpha[t][s] = log of the total probability of the alignment prefixes
    that emit state s at time t:
        alpha[0] = lp[0, b], lp[0, l1] (the first two states; the rest unreachable)
        alpha[t][s] = logsumexp(alpha[t-1][s], alpha[t-1][s-1], alpha[t-1][s-2]) + lp[t, ext[s]]
    where the skip from s-2 is allowed only onto a label that differs from the label
    two states back (a repeated label needs a blank between its copies).  The loss is
    -logsumexp of the last two states (end on the last label or the trailing blank).
    Unreachable states are None instead of -inf, so that no -inf enters the traced
    arithmetic (logaddexp(-inf, -inf) would give NaN gradients)."""
    ext = [blank]
    for label in labels:
        ext += [label, blank]
    S, T = len(ext), lp.shape[0]
    if T == 0:
        return 0.0 if not labels else onp.inf

    def predecessors(s):
        skip = s >= 2 and ext[s] != blank and ext[s] != ext[s - 2]
        return [s, s - 1, s - 2] if skip else [s, s - 1] if s >= 1 else [s]

    rows = [[lp[t, c] for c in ext] for t in range(T)]  # lp[t, ext[s]]
    alpha = [rows[0][s] if s < 2 else None for s in range(S)]
    for t in range(1, T):
        prev, alpha = alpha, []
        for s in range(S):
            terms = [prev[p] for p in predecessors(s) if prev[p] is not None]
            alpha.append(_logsumexp(terms) + rows[t][s] if terms else None)
    ends = [a for a in alpha[-2:] if a is not None]
    return -_logsumexp(ends) if ends else onp.inf  # no alignment fits: p = 0


@register("ctc", inputs=("log_probs", "targets", "input_lengths", "target_lengths"), differentiable=("log_probs",))
def ctc(log_probs, targets, input_lengths, target_lengths, blank=0, zero_infinity=False, log_softmax_grad=False,
        log_softmax=False):
    """Connectionist temporal classification: -log p(target | input), per sample.

    p(l | x) = sum over the alignments pi (length T_n paths over the C classes) whose
    collapse B(pi) (merge repeats, then drop blanks) is l, of prod_t y[t, pi_t];
    computed by the log-space forward (alpha) recursion, see ``_ctc_nll``.
    log_probs (T, N, C) log-probabilities (used as given: not renormalized);
    targets (N, S) padded or 1-D concatenated; input_lengths, target_lengths (N,).
    A target that no alignment fits (L + number of adjacent repeats > T_n) has
    p = 0: loss inf, or 0 when zero_infinity; either way its gradient is 0 (p is 0
    in a whole neighbourhood: the recursion is not traced for it, no NaN).
    "mean" = mean_n loss_n / max(target_length_n, 1) (torch's convention).

    log_softmax_grad=True keeps the value and changes only the gradient: it adds
    sum_{t < T_n, c} (exp(lp) - [exp(lp)]), a zero whose derivative is exp(lp)
    ([.] held constant), so the gradient is the one w.r.t. logits z with
    lp = log_softmax(z), as torch's and TensorFlow's CTC return it (exact when
    log_probs is normalized, for every sample with a finite loss).

    log_softmax=True takes log_probs as logits and normalizes them first, lp = log_softmax(log_probs)
    over the classes (TensorFlow's ``tf.nn.ctc_loss(logits=...)``): value and gradient are the loss's
    on lp, the gradient through the log_softmax.

    Source: Graves et al. 2006, "Connectionist Temporal Classification", eqs. 5-10;
    torch ``CTCLoss`` (targets layout, reduction, zero_infinity)."""
    floats("log_probs", log_probs)
    labels = _check_ctc(log_probs, targets, input_lengths, target_lengths, blank)
    if log_softmax:
        m = onp.max(getval(log_probs), axis=-1, keepdims=True)  # a constant shift: log_softmax ignores it
        log_probs = log_probs - (m + np.log(np.sum(np.exp(log_probs - m), axis=-1, keepdims=True)))
    losses = []
    for n, seq in enumerate(labels):
        loss = _ctc_nll(log_probs[: int(input_lengths[n]), n, :], seq, blank)
        if zero_infinity and onp.isinf(getval(loss)):
            loss = 0.0
        elif log_softmax_grad and onp.isfinite(getval(loss)):
            q = np.exp(log_probs[: int(input_lengths[n]), n, :])
            loss = loss + (np.sum(q) - getval(np.sum(q)))
        losses.append(loss * np.ones(()))  # every entry an array (traced or not) for np.stack
    return np.stack(losses), onp.maximum(onp.asarray(target_lengths), 1)
