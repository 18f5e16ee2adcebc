"""storied's benchmark suite: storied against the raw driver doing the same SQL.

Run ``python -m bench`` from the repository root (``--help`` for options, ``--quick`` for a
run under 30 seconds). Modules: :mod:`bench.targets` (scratch databases),
:mod:`bench.workloads` (the model and storied's side), :mod:`bench.raw` and
:mod:`bench.raw_async` (the raw drivers), :mod:`bench.runner` (interleaved rounds),
:mod:`bench.report` (the table), :mod:`bench.cli` (options).
"""
