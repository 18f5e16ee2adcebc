"""Python types → SQL types, ModelSpec → Table, rows ↔ models."""
