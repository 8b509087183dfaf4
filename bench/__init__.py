"""Benchmarks: each `bench_*.py` module here measures one budget of DESIGN.md and prints numbers."""
