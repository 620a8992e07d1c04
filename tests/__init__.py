"""luohu-kg test suite."""
