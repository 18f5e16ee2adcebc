"""Schema sync: compare the models with the database, plan, apply (like Terraform).

Pipeline of plain data, each stage testable alone::

    diff.compare  (Alembic's produce_migrations + storied's comparators; renames through
                   restate.restate and the rewrite pass in rewrite.py)
      → changes.classify  (Work: a Change and the Alembic ops that make it)
      → planner.make_plan (ordered Steps, SQL and Alembic code rendered offline: a Plan,
                           plain data: printed, compared, JSON, applied)
      → apply.apply_plan  (schema lock, plan again, compare, run)  |  plan.to_alembic
"""

from .apply import ApplyResult as ApplyResult
from .plan import Change as Change
from .plan import Plan as Plan
from .plan import Step as Step

__all__ = ["ApplyResult", "Change", "Plan", "Step"]
