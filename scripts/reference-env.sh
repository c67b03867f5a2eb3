#!/usr/bin/env bash
# Creates .venv-reference with the pinned reference tools (PySpark, scikit-learn,
# Hyperopt, Optuna, MLflow) that tests and benchmarks compare grooviest with.
# The product itself never imports them.
# Re-running is cheap: the venv is reused when its lock file has not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv-reference
lock=reference/requirements.txt
stamp="$venv/.installed-lock"

if [ -f "$stamp" ] && cmp -s "$lock" "$stamp"; then
  echo "reference env: up to date ($venv)"
  exit 0
fi

python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --upgrade pip
"$venv/bin/pip" install --quiet --no-deps -r "$lock"
"$venv/bin/pip" check
cp "$lock" "$stamp"
echo "reference env: installed ($venv)"
