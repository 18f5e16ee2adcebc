"""storied's pytest plugin (registered as the ``storied`` pytest11 entry point)."""
