import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import numerics  # noqa: E402
import pytest  # noqa: E402


def pytest_configure(config):
    """torchvision before TensorFlow, when a session imports both.

    Importing torchvision.ops after TensorFlow segfaults (torch._dynamo probes triton, whose
    native module clashes with what TensorFlow loaded: seen with torch 2.14.1 + torchvision
    0.29.1 + tensorflow-cpu 2.21.0); the other order works.  The conformance suite never
    mixes them (one framework per worker process); the adapter tests of both frameworks can
    share a pytest session, so the order is fixed here."""
    config.addinivalue_line("markers", "after_oracles: runs after the family modules' mpmath oracle tests")
    from importlib.util import find_spec

    if find_spec("tensorflow") and find_spec("torchvision"):
        import torchvision.ops  # noqa: F401


@pytest.hookimpl(trylast=True)  # after -k / -m deselection: the items that will run
def pytest_collection_modifyitems(session, config, items):
    """The oracle-count check of test_common runs after the family modules' oracle tests (which count)."""
    last = [i for i in items if i.get_closest_marker("after_oracles")]
    items[:] = [i for i in items if not i.get_closest_marker("after_oracles")] + last
    numerics.ORACLE_MODULES.update(i.module.__name__ for i in items if i.module.__name__.startswith("test_reference_"))


def pytest_sessionfinish(session, exitstatus):
    """Print (and optionally save) the worst measured ulp error per loss."""
    if not numerics.MEASURED:
        return
    path = numerics.measured_path()
    if path:
        numerics.save_measured(path)
    tr = session.config.pluginmanager.get_plugin("terminalreporter")
    if tr is not None:
        tr.write_sep("-", "reference value error vs mpmath (max ulp per loss)")
        for name, err in sorted(numerics.MEASURED.items()):
            tr.write_line(f"{name:34s} {err:6.2f}")
