"""Structured reasons for decisions (not eligible, not shortlisted, not successful,
withdrawn): each trust's own versioned list, chosen on every path that makes a decision."""
