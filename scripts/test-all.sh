#!/usr/bin/env bash
# Installs everything the tests need on a fresh machine, then runs every test:
# npm packages (locked), the pinned Python reference tools, Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci
bash scripts/reference-env.sh
bash scripts/install-chromium.sh
npm test
