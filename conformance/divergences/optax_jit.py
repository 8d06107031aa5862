"""Known divergences of optax under jax.jit (the optax-jit stack) from the reference.

Versions checked: optax 0.2.8, jax 0.10.2, every call one compiled program (adapters/optax.py JittedJax).  The
mechanisms are optax's own, so every entry of optax.py holds here too, with its cells and bound, as
"optax-jit-<its name>"; listed below are only the cells where XLA's compiled program answers otherwise than eager
JAX (measured over the whole matrix: reports/results/optax-jit.json against optax.json).
"""

import dataclasses

from ..registry import Cells, Signature, Units, shorthands
from . import optax
from .optax import CLS, MC_PERCEPTRON

XLA = ("XLA's algebraic simplifier, the algsimp pass (xla/hlo/transforms/simplifiers/algebraic_simplifier.cc in the "
       "XLA of jaxlib 0.10.2): measured with XLA_FLAGS=--xla_dump_to=DIR --xla_dump_hlo_pass_re=.*, the select "
       "appears first in the module after algsimp")


def _jit(d, **changes):
    return dataclasses.replace(d, id=d.id.replace("optax-", "optax-jit-", 1), framework="optax-jit", **changes)


_EAGER = {d.id: d for d in optax.DIVERGENCES}
# eager JAX's 0 * inf: compiled, the dot with one_hot(y) is a select, and the value at an infinite score is the
# reference's +inf (tests/test_adapters_optax.py test_jit_changes_the_answer_at_an_infinite_score)
_NOT_UNDER_JIT = ("optax-multiclass-perceptron-infinite-score-nan",)
_RESIDUE = _EAGER["optax-ntxent-zero-gradient-residue"]
_d, _unchecked = shorthands("optax-jit")

DIVERGENCES = [_jit(d) for d in optax.DIVERGENCES if d.id not in (*_NOT_UNDER_JIT, _RESIDUE.id)] + [
    _jit(_RESIDUE, cells=(*_RESIDUE.cells, Cells(apis="optax.losses.ntxent", checks="grad", cases="no_negatives",
                                                 dtypes="float32", reductions="mean")),
         bound=Units({"float32": 1e38, "float64": 1e307}),
         explanation=_RESIDUE.explanation + "  Compiled, the float32 mean's gradient has such a residue too "
         "(9e36 units against the zero scale: a rounding residue of the compiled program's order of operations), "
         "where eager float32 gives exactly 0."),
    _d("optax-jit-max-gradient-zero-at-nan-row", "bug",
       Cells(apis=MC_PERCEPTRON, checks="grad", cases="nonfinite"), Signature(("finite/nan",)),
       "jnp.max's gradient is cot / count * (s == max) (jax's reduce_max JVP); in a row holding a NaN score no "
       "score equals the NaN max, so eager it is (cot / 0) * 0 = NaN, the reference's NaN.  Compiled, XLA rewrites "
       "the product with the converted comparison into select(s == max, cot / count, 0): 0, so the row gets the "
       "finite gradient of the dot term alone and the NaN does not reach the scores' gradient.",
       f"{XLA}; jax 0.10.2 jax/_src/lax/lax.py _reduce_chooser_jvp_rule; {CLS} multiclass_perceptron_loss"),
]
