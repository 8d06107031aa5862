"""Loads the conformance plugin (--framework, --results) for `pytest conformance`."""

from conformance.plugin import (  # noqa: F401
    pytest_addoption,
    pytest_collection_modifyitems,
    pytest_configure,
    pytest_pycollect_makeitem,
)
