#!/usr/bin/env bash
# Install rfkit with its test dependencies (and the real rtl_433 / librtlsdr from Debian), then run every test.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v apt-get >/dev/null 2>&1 && ! command -v rtl_433 >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq rtl-433 librtlsdr0 >/dev/null
fi
python3 -m pip install -q --disable-pip-version-check -e ".[test,bench]"
python3 -m pytest -q -p no:cacheprovider "$@"
