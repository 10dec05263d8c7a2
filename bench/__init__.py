"""Benchmarks: each module has main(argv) that prints its figures. Not tests: run on demand."""
