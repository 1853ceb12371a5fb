"""Extensions loaded by the Rasa server itself (not the action server).

Rasa imports this package when it loads the tracker store and the channels named in endpoints.yml
and credentials.yml: that import installs the log redaction in the Rasa server (clinic/logs.py).
"""

from clinic.logs import install_redaction

install_redaction()
