"""--device: where the tensors go, what a stack without that device does (one skip, with its reason), and how
the device names the results, the baseline and the report's columns.  Framework-free: the NumPy fault framework
stands in for a stack; each stack's own placement is tested in its tests/test_adapters_<module>.py."""

import json
import os
import subprocess
import sys

import numpy as np

from adapters import framework
from conformance.worker import Worker, load_framework, unavailable_device
from reports.build import matrix
from reports.compact import write_baselines
from reports.load import load
from reports.schema import stack_of
from reports.views import agreement
from tests.fault_adapters import NumpyFramework

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SAMPLE = os.path.join(ROOT, "tests", "data", "results-sample.json")


class Spy(NumpyFramework):
    """Records the device each tensor was asked for."""

    def __init__(self):
        self.asked = []

    def to_tensor(self, array, dtype, device="cpu"):
        self.asked.append(device)
        return super().to_tensor(array, dtype, device)


def test_every_tensor_of_a_call_goes_to_the_framework_device():
    fw, bindings = load_framework("tests.fault_adapters")
    spy = Spy()
    spy.device = "fake"
    x, y = np.array([0.5, -2.0]), np.array([0.0, 0.0])
    spy.value(bindings[0], [x, y], "float32", "mean", {"beta": 1.0})
    assert spy.asked == ["fake", "fake"]
    assert fw.device == "cpu"


def test_load_framework_and_the_worker_set_the_device():
    try:
        assert load_framework("tests.fault_adapters", device="fake")[0].device == "fake"
        worker = Worker("tests.fault_adapters", isolate=False, device="cpu")
        assert worker.device == "cpu" and worker._local[0].device == "cpu"
    finally:
        load_framework("tests.fault_adapters")  # the module's framework is shared: back to the CPU


def test_a_stack_without_the_device_says_so_and_the_cpu_needs_no_question():
    assert unavailable_device(NumpyFramework(), "cpu") == ""
    reason = unavailable_device(framework("sklearn"), "cuda")  # scikit-learn computes with NumPy: CPU only
    assert reason == "--device cuda: not available to this stack here (its devices: cpu)"


def test_cells_on_a_missing_device_are_one_skip_with_the_reason_and_the_file_says_which_device(tmp_path):
    out = tmp_path / "fault-cuda.json"
    proc = subprocess.run([sys.executable, "-m", "pytest", "conformance", "--framework", "tests.fault_adapters",
                           "--device", "cuda", "--results", str(out), "-q", "-p", "no:cacheprovider", "-rs"],
                          capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "--device cuda: not available to this stack here (its devices: cpu)" in proc.stdout
    assert "error" not in proc.stdout.splitlines()[-1] and "passed" not in proc.stdout.splitlines()[-1]
    doc = json.loads(out.read_text())
    assert doc["environment"]["device"] == "cuda" and doc["records"] == []


def test_the_device_names_the_baseline_and_the_column(tmp_path):
    cpu, gpu = (json.loads(open(SAMPLE).read()) for _ in range(2))
    gpu["environment"]["device"] = "cuda"
    for r in gpu["records"]:
        r["device"] = "cuda"
    paths = []
    for name, doc in (("torch", cpu), ("torch-cuda", gpu)):
        paths.append(tmp_path / f"{name}.json")
        paths[-1].write_text(json.dumps(doc))
    written = write_baselines([str(p) for p in paths], str(tmp_path / "baseline"))
    stacks = {r["framework"] for r in cpu["records"]}
    assert sorted(os.path.basename(p) for p in written) == sorted([f"{s}.json" for s in stacks] +
                                                                  [f"{s}-cuda.json" for s in stacks])
    res = load([str(p) for p in paths])
    columns = [fw for fw, _ in matrix(res, sorted({r["loss"] for r in res.records}))[1]]
    assert set(columns) == stacks | {f"{s} (cuda)" for s in stacks}
    assert set(agreement(res)[0]) == set(columns)
    assert stack_of({"framework": "torch", "device": "cpu"}) == "torch"
    assert stack_of({"framework": "torch"}) == "torch"
    assert stack_of({"framework": "torch", "device": "cuda"}) == "torch (cuda)"
