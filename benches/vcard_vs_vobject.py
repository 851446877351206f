"""Median seconds for python-vobject to parse every card in FILE (RUNS runs)."""
import statistics
import sys
import time

import vobject

path, runs = sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 3
text = open(path, encoding="utf-8").read()
times = []
count = 0
for _ in range(runs):
    start = time.perf_counter()
    cards = list(vobject.readComponents(text))
    for card in cards:
        # Touch the fields kith maps, so both sides do comparable work.
        _ = card.fn.value, [e.value for e in card.contents.get("email", [])], [t.value for t in card.contents.get("tel", [])]
    times.append(time.perf_counter() - start)
    count = len(cards)
print(count, f"{statistics.median(times):.6f}")
