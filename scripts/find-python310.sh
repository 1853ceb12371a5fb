#!/usr/bin/env bash
# Prints the path of a working Python 3.10 (Rasa 3.6 refuses 3.11+).
# pyenv's python3.10 shim fails unless 3.10 is the active version, so try the real binaries too.
for candidate in python3.10 "$HOME"/.pyenv/versions/3.10*/bin/python3.10 /usr/bin/python3.10 /usr/local/bin/python3.10; do
  if "$candidate" -c 'import sys; assert sys.version_info[:2] == (3, 10)' >/dev/null 2>&1; then
    command -v "$candidate" || echo "$candidate"
    exit 0
  fi
done
echo "Python 3.10 not found: install it (e.g. 'pyenv install 3.10') and retry." >&2
exit 1
