"""History strategies (none, copy_on_change, scd2) and the injectable clock."""
