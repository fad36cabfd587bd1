#!/usr/bin/env bash
# Sourced by .ci/run: Debian's chromium for the dashboard's end-to-end tests (Microsoft.Playwright drives it; no
# browser is ever downloaded). Installs it with apt-get when missing (CI runs as root on Debian 12) and exports
# TUNESHARP_TEST_CHROMIUM; without it the browser tests fail under CI=true and skip when run by hand.
if ! command -v chromium >/dev/null 2>&1; then
  echo "chromium: installing Debian's chromium" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq chromium >&2
fi
export TUNESHARP_TEST_CHROMIUM="$(command -v chromium)"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
echo "chromium: $("$TUNESHARP_TEST_CHROMIUM" --version 2>/dev/null)" >&2
