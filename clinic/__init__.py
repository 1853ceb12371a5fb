"""The clinic assistant's core: settings, the follow-up subsystem and plain helpers.

Plain Python: it imports no Rasa, rasa_sdk, Flask or Sanic, and nothing else of this project
(the import contracts in pyproject.toml check both). The actions, the Rasa server's add-ons,
the console, the widget server and the benchmarks all depend on it.
"""
