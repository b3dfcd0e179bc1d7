"""Benchmarks: `make bench` (or `python -m bench NAME...`).

Each benchmark measures its own baseline in the same run and prints the ratio, so a
number means something on whatever machine it ran on. Record results in
docs/benchmarks.md.
"""
