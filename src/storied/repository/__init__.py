"""Repositories: CRUD, queries and history over one model, sync and async."""
