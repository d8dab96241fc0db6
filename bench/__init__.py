"""Benchmarks: a national-scale data set (`bench.dataset`) and the harness (`bench.scale`)."""
