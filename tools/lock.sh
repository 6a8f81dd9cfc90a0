#!/usr/bin/env bash
# Re-pin the dependencies from pyproject.toml into requirements.lock (runtime) and
# requirements-test.lock (what the tests add), resolved in a clean virtualenv, so that a
# fresh machine installs exactly what CI tested.
set -euo pipefail
cd "$(dirname "$0")/.."
env=$(mktemp -d)
python3 -m venv "$env"
"$env/bin/pip" install --quiet --upgrade pip
"$env/bin/pip" install --quiet .
"$env/bin/pip" freeze --exclude quietwire | sort > requirements.lock
"$env/bin/pip" install --quiet '.[test]'
"$env/bin/pip" freeze --exclude quietwire | sort > "$env/all.txt"
comm -13 requirements.lock "$env/all.txt" > requirements-test.lock
rm -rf "$env"
wc -l requirements.lock requirements-test.lock
