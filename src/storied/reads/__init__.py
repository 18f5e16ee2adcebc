"""Read operations: rows by id or by key, queries, and batched eager loading.

They sit above ``query`` (which compiles a Query into one statement) and below ``temporal``
(whose writes read the row first) and ``repository``.
"""

from .rows import get as get
from .rows import get_many as get_many
from .rows import rows_by_ids as rows_by_ids
from .rows import rows_where_in as rows_where_in
from .run import run_query as run_query
