"""(being written)"""
from ._core import Framework

FRAMEWORK = Framework()
BINDINGS = []
DIFFERENT_DEFINITIONS = []
UNBOUND = {}
