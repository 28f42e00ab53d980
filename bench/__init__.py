"""Benchmarks for drift-open: `python -m bench` (or `make bench`) measures ack latency, a burst
against a slow Drift, API calls per conversation, the users directory at scale and start-up
time against the loopback fakes of the e2e suite, and writes docs/benchmarks.md.

Benchmarks never run in the test suite; tests/bench only checks the helpers.
"""
