"""Builds a room x slot schedule from the teams' needs (CP-SAT, with a greedy fallback)."""
