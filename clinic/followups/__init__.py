"""Follow-ups: leads, handoff requests and urgent alerts.

Each is stored first (`store`), then staff are notified (`notifier`: webhook and/or e-mail);
`delivery` records every attempt and backs off, and `python -m clinic.followups --watch 30`
(this package's `__main__`, started by `make run`) re-sends what is due. It has its own table
and its own process, and needs no Rasa.
"""
