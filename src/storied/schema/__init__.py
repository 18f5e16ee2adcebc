"""Schema sync: compare the models with the database, plan, apply (like Terraform).

Pipeline of plain data, each stage testable alone::

    diff.compare  (Alembic's produce_migrations + storied's comparators; renames through
                   restate.restate and the rewrite pass in rewrite.py)
      → changes.classify  (Change: safe, destructive or blocked; the Alembic ops that fix it)
      → plan.build_steps  (ordered Steps, SQL rendered offline for the dialect)
      → apply.apply_plan  (schema lock, re-check, run)  |  revision.render_revision
"""

from .apply import ApplyResult as ApplyResult
from .changes import Change as Change
from .plan import Plan as Plan
from .plan import Step as Step

__all__ = ["ApplyResult", "Change", "Plan", "Step"]
