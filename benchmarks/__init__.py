"""Benchmarks of the portal on PostgreSQL: `make bench` (python -m benchmarks). Shared helpers: common.py."""
