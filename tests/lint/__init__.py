"""`make lint` itself: it fails on a planted violation of each of its tools (pytest only)."""
