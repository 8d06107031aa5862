"""The conformance suite: cases, tolerance policy, divergence registry, cells, pytest plugin."""
