"""Databases, executors, the compiled-statement cache and error translation."""
