#!/usr/bin/env bash
# Export the demo network in every format and check the files with
# independent parsers from PyPI (vobject, icalendar, vcard, Python's csv).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/validators
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check vobject icalendar vcard
cargo build --quiet --example export_demo
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo run --quiet --example export_demo -- "$work"
"$venv/bin/python" tests/validate_exports.py "$work"
