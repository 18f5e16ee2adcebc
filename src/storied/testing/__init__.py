"""storied's testing kit: model factories, a pytest plugin, and a recording database.

Needs the ``testing`` extra (polyfactory and Faker). The pytest plugin
(:mod:`storied.testing.plugin`) is registered as an entry point and loads on its own.
"""

from .extensions import Extension as Extension
from .extensions import Extensions as Extensions
from .factory import Factory as Factory
from .factory import factory as factory
from .names import NAME_RULES as NAME_RULES

__all__ = ["NAME_RULES", "Extension", "Extensions", "Factory", "factory"]
