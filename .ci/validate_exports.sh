#!/usr/bin/env bash
# Export the demo network in every format and check the files with
# independent parsers from PyPI (vobject, icalendar, vcard, Python's csv),
# then import every file of ../shared/corpus and check its exports the same way.
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
corpus=../shared/corpus
if [ -d "$corpus" ]; then
    cargo run --quiet --example export_demo -- "$work" --corpus "$corpus"
else
    echo "warning: ../shared/corpus not found; checking the demo exports only"
    cargo run --quiet --example export_demo -- "$work"
fi
"$venv/bin/python" tests/validate_exports.py "$work"
