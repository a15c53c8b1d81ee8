"""Reproducible benchmarks of search and matching, and the data generator they use.

`python -m bench.generate` fills a fresh, migrated database with a seeded corpus;
`python -m bench.run` (or `make bench`) measures it and writes `docs/benchmarks.md`.
"""
