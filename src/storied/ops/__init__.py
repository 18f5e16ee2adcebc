"""The operation protocol: what an operation yields (requests) and receives (results).

The lowest layer of the core besides ``errors``: operations in ``reads``, ``temporal`` and
``repository`` speak it, the executors in ``engine`` drive it.
"""
