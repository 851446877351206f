"""Check kith's exports with independent parsers from PyPI.

Usage: python validate_exports.py DIR
DIR holds export.vcf (4.0), export3.vcf (3.0), export.csv, newsletter.csv, followups.ics
and people.txt (the expected number of people). Exits non-zero on any failure.
"""
import csv
import subprocess
import sys
from pathlib import Path

import icalendar
import vobject

d = Path(sys.argv[1])
expected = int((d / "people.txt").read_text().strip())
failures = []

def check(ok, message):
    print(("ok   " if ok else "FAIL ") + message)
    if not ok:
        failures.append(message)

for name in ["export.vcf", "export3.vcf"]:
    text = (d / name).read_text(encoding="utf-8")
    cards = list(vobject.readComponents(text))
    check(len(cards) == expected, f"vobject reads {len(cards)} cards from {name} (expected {expected})")
    check(all(c.fn.value.strip() for c in cards), f"every card in {name} has an FN")

result = subprocess.run([str(Path(sys.executable).parent / "vcard"), str(d / "export3.vcf")], capture_output=True, text=True)
check(result.returncode == 0, "the vcard 3.0 validator accepts export3.vcf" + ("" if result.returncode == 0 else ":\n" + result.stdout + result.stderr))

cal = icalendar.Calendar.from_ical((d / "followups.ics").read_bytes())
todos = [c for c in cal.walk("VTODO")]
check(len(todos) > 0, f"icalendar reads {len(todos)} VTODOs")
check(all(t.get("DUE") is not None for t in todos), "every VTODO has a DUE date")
check(all(any(s.name == "VALARM" for s in t.subcomponents) for t in todos), "every VTODO has a VALARM")
vcal = list(vobject.readComponents((d / "followups.ics").read_text(encoding="utf-8")))
check(len(vcal) == 1, "vobject reads the calendar")

with open(d / "export.csv", newline="", encoding="utf-8") as f:
    rows = list(csv.DictReader(f))
check(len(rows) == expected, f"csv reads {len(rows)} rows from export.csv")
check("E-mail 1 - Value" in rows[0], "export.csv has the Google Contacts header")
danger = [v for r in rows for v in r.values() if v and v[0] in "=+-@\t\r"]
check(not danger, f"no formula-like cells in export.csv ({danger[:3]})")

with open(d / "newsletter.csv", newline="", encoding="utf-8") as f:
    subscribers = list(csv.DictReader(f))
consented = int((d / "consented.txt").read_text().strip())
check(len(subscribers) == consented, f"newsletter.csv lists {len(subscribers)} people, {consented} consented")

if failures:
    print(f"{len(failures)} failed")
    sys.exit(1)
print("all export checks passed")
