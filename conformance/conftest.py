from conformance.plugin import *  # noqa: F401,F403  (the plugin: --framework, --results)
from conformance.plugin import pytest_addoption, pytest_collection_modifyitems, pytest_configure, pytest_pycollect_makeitem  # noqa: F401
