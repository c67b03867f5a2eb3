#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (report and MLflow UI
# screenshots) when it is missing. Without root or apt-get it prints a notice
# instead, and the browser tests then skip themselves with a counted message.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium: present (/usr/bin/chromium)"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  echo "chromium: missing and cannot be installed here (needs root and apt-get); browser tests will be skipped"
  exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
echo "chromium: installed ($(/usr/bin/chromium --version 2>/dev/null || echo unknown version))"
