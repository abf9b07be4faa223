"""Sums up a conformance run's JSON lines: own asserts, AWS snapshots, and the failing tests."""

import json
import sys
from collections import Counter

outcomes, snapshots, errors = {}, {}, {}
with open(sys.argv[1]) as lines:
    for line in lines:
        row = json.loads(line)
        if "outcome" in row:
            outcomes[row["test"]] = row["outcome"]
            errors[row["test"]] = row.get("error")
        if "snapshot" in row:
            snapshots[row["test"]] = row["snapshot"]

ran = [t for t, o in outcomes.items() if o != "skipped"]
passed = [t for t in ran if outcomes[t] == "passed"]
matched = [t for t in passed if snapshots.get(t, "match") == "match"]
skipped = len(outcomes) - len(ran)
print(f"ran {len(ran)} (skipped {skipped} LocalStack-only or marked skip)")
print(f"own asserts: {len(passed)}/{len(ran)} = {100 * len(passed) / max(1, len(ran)):.1f} %")
print(f"own asserts and AWS snapshot: {len(matched)}/{len(ran)} = {100 * len(matched) / max(1, len(ran)):.1f} %")
groups = Counter(t.split("::")[-1].split("[")[0] for t in ran if t not in matched)
print("\nnot passing (test: variants):")
for name, count in groups.most_common():
    print(f"  {name}: {count}")
if "-v" in sys.argv:
    for t in ran:
        if t not in matched:
            print("\n", t, outcomes[t], (errors.get(t) or "")[-300:], snapshots.get(t, ""))
