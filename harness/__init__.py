"""Development harness shared by the tests and the benchmarks.

The real servers on free ports, a webhook receiver, a throwaway PostgreSQL server and the
browser's settings.

Plain modules, no fixtures (those stay in the tests' conftest files).
"""
