"""Resolution: merge mentions of the same event, then fill ACLED's fields."""
