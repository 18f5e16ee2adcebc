"""storied's benchmark suite: storied against the raw driver doing the same SQL.

Run ``python -m bench [crud|history|bulk]`` from the repository root (``--help`` for options,
``--quick`` for a run under 30 seconds). Modules: :mod:`bench.targets` (scratch databases),
:mod:`bench.workloads` (the crud model and storied's side), :mod:`bench.raw` and
:mod:`bench.raw_async` (the raw drivers), :mod:`bench.runner` (interleaved rounds),
:mod:`bench.report` (the crud table), :mod:`bench.cli` (options); for ``history``:
:mod:`bench.history` (updates per strategy), :mod:`bench.history_sql` and
:mod:`bench.history_raw` (the raw side), :mod:`bench.roundtrips` (statements per operation),
:mod:`bench.asof` (reads over long histories); for ``bulk``: :mod:`bench.bulk` and
:mod:`bench.bulk_raw`; :mod:`bench.models` (one model per strategy), :mod:`bench.tables`.
"""
