"""Performance benchmarks (issue 9, and search latency of issue 6): not in the default run.

Run ``python -m tests.benchmarks.run --size small`` (a few minutes) or ``--size full``
(100,000 customers; the first run generates and caches the notebook). See ``run.py``.
"""
