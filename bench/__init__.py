"""Benchmarks (not tests): `make bench` runs every module's main(), each printing figures."""
