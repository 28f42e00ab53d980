"""Loopback fakes of the Slack Web API, Slack Socket Mode and the Drift REST API.

Used by the dispatch tests, the end-to-end suite and the benchmarks. Nothing here imports pytest.
"""
