#!/usr/bin/env bash
# Make sure Debian's chromium is installed for the browser tests (tests/web/test_browser.py).
# Idempotent: does nothing when /usr/bin/chromium exists. Never downloads a browser build of
# Playwright's own; the tests launch this system executable.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
    exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "ensure_chromium: /usr/bin/chromium is missing; run as root or: sudo apt-get install -y chromium" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
/usr/bin/chromium --version
