"""SQL constructs of storied's own (LIKE with escaping, large IN lists, NULLS FIRST, an
unindexed hint), each with its per-dialect ``@compiles`` rules in ``dialects``."""
