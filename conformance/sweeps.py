"""1-D sweeps for the report's plots: the loss and its derivative along one input.

Only for element-wise losses (one loss value per element of the swept input).
``"x"`` marks the swept input; the other inputs are constants broadcast to it.
The SmoothL1 sweeps move the threshold, as the source documents' plots do.
"""

import numpy as np

X = np.linspace(-3.0, 3.0, 241)

SWEEPS = {
    "l1": [({}, {"input": "x", "target": 0.0})],
    "mse": [({}, {"input": "x", "target": 0.0})],
    "smooth_l1": [({"beta": 1.0}, {"input": "x", "target": 0.0}), ({"beta": 0.1}, {"input": "x", "target": 0.0})],
    "huber": [({"delta": 1.0}, {"input": "x", "target": 0.0}), ({"delta": 0.5}, {"input": "x", "target": 0.0})],
    "poisson_nll": [({}, {"input": "x", "target": 2.0})],
    "soft_margin": [({}, {"input": "x", "target": 1.0})],
    "binary_cross_entropy_with_logits": [({}, {"input": "x", "target": 1.0})],
    "binary_cross_entropy": [({}, {"input": "p", "target": 1.0})],
    "sigmoid_focal": [({}, {"input": "x", "target": 1.0})],
    "hinge_embedding": [({}, {"input": "x", "target": -1.0})],
    "modified_huber": [({}, {"input": "x", "target": 1.0})],
    "exponential": [({}, {"input": "x", "target": 1.0})],
}


def sweep_arrays(loss, spec):
    """The canonical arrays of one sweep: (swept values, [arrays in loss.inputs order])."""
    xs = np.linspace(1e-3, 1 - 1e-3, 241) if "p" in spec.values() else X
    arrays = []
    for name in loss.inputs:
        v = spec[name]
        arrays.append(xs if isinstance(v, str) else np.full_like(xs, v))
    return xs, arrays
