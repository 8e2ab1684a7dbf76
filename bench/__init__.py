"""Benchmarks for dealwire (`make bench` / `python -m bench`): speed and memory figures in BENCHMARKS.md.

Not part of `make test`: the numbers depend on the machine and on what else runs on it.
"""
