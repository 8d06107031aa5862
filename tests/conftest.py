import os
import sys

sys.path.insert(0, os.path.dirname(__file__))

import numerics  # noqa: E402


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
