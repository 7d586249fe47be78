"""Static review site (placeholder while it is written)."""
