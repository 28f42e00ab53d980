"""Caching shared by the Drift and Slack sides: a locked cache that loads each key once."""
