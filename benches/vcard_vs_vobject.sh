#!/usr/bin/env bash
# Import speed of 10,000 vCards: kith (release) vs python-vobject, same file, one run.
set -euo pipefail
cd "$(dirname "$0")/.."
venv=target/validators
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check vobject
file=$(mktemp --suffix=.vcf)
trap 'rm -f "$file"' EXIT
cargo run --quiet --release --example vcard_speed -- write "$file" 10000
read -r kith_count kith_s < <(cargo run --quiet --release --example vcard_speed -- time "$file" 7)
read -r vobject_count vobject_s < <("$venv/bin/python" benches/vcard_vs_vobject.py "$file" 3)
echo "kith:    $kith_count cards, median $kith_s s (7 runs)"
echo "vobject: $vobject_count cards, median $vobject_s s (3 runs)"
python3 -c "print(f'kith is {${vobject_s}/${kith_s}:.1f}x faster than python-vobject')"
