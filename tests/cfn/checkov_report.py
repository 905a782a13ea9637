#!/usr/bin/env python3
"""checkov_report.py - judge a checkov JSON report against
tests/cfn/checkov-suppressions.yaml.

Usage: checkov_report.py REPORT.json SUPPRESSIONS.yaml EXAMPLE...
REPORT.json is `checkov --framework cloudformation -o json` run once over
every example's template from the directory holding <example>/cloudformation/
template.json (tests/suites/checkov.sh).  Runs with build/venv-checkov's
Python (PyYAML comes with checkov).

Checks: the suppressions file is well formed (every entry has a reason;
`examples`, when given, names examples); checkov parsed every template
without errors; per example, every failed check is suppressed (for that
example) - otherwise FAIL with check id, resource and checkov's title; a
check the template skips itself (resource Metadata "checkov") fails too;
every suppression is still needed by some example.  Ends with "N passed, N failed".
"""

import json
import sys

import yaml


def main(argv):
    if len(argv) < 4:
        sys.exit("usage: checkov_report.py REPORT.json SUPPRESSIONS.yaml EXAMPLE...")
    report_path, supp_path, examples = argv[1], argv[2], argv[3:]
    passed = failed = 0

    def check(label, problems):
        nonlocal passed, failed
        if problems:
            failed += 1
            print(f"FAIL  {label}")
            for p in problems:
                print(f"        {p}")
        else:
            passed += 1
            print(f"ok    {label}")

    with open(supp_path, encoding="utf-8") as f:
        supp = yaml.safe_load(f) or {}
    probs = []
    if not isinstance(supp, dict):
        probs.append("not a mapping of check ids")
        supp = {}
    for cid, entry in supp.items():
        if not isinstance(entry, dict) or not str(entry.get("reason", "")).strip():
            probs.append(f"{cid}: no reason")
        elif set(entry) - {"reason", "examples"}:
            probs.append(f"{cid}: unknown keys {sorted(set(entry) - {'reason', 'examples'})}")
        elif "examples" in entry and (not isinstance(entry["examples"], list)
                                      or set(entry["examples"]) - set(examples)):
            probs.append(f"{cid}: examples {entry['examples']} are not all among {examples}")
    check(f"{supp_path}: {len(supp)} suppressions, each with a reason", probs)

    try:
        with open(report_path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError) as e:
        check("checkov wrote a JSON report", [str(e)])
        print(f"{passed} passed, {failed} failed")
        return 1
    reports = report if isinstance(report, list) else [report]
    reports = [r for r in reports if r.get("check_type") == "cloudformation"]
    if not reports:
        check("checkov reported on the cloudformation framework", ["no cloudformation report"])
        print(f"{passed} passed, {failed} failed")
        return 1
    summary = reports[0].get("summary", {})
    results = reports[0].get("results", {})
    print(f"checkov {summary.get('checkov_version')}: {summary.get('resource_count')} resources, "
          f"{summary.get('passed')} passed, {summary.get('failed')} failed checks")
    check("checkov parsed every template",
          [f"{summary.get('parsing_errors')} parsing errors: {results.get('parsing_errors')}"]
          if summary.get("parsing_errors") else [])

    def example_of(item):
        path = (item.get("file_path") or "").lstrip("/")
        return path.split("/", 1)[0]

    used = set()
    for ex in examples:
        fails = [x for x in results.get("failed_checks", []) if example_of(x) == ex]
        # Checks a template skips itself (Metadata checkov skip) count as
        # failures: only the suppressions file may accept a finding.
        fails += [dict(x, check_name=x["check_name"] + " [skipped by the template itself]")
                  for x in results.get("skipped_checks", []) if example_of(x) == ex]
        passes = [x for x in results.get("passed_checks", []) if example_of(x) == ex]
        probs, suppressed = [], {}
        for x in fails:
            entry = supp.get(x["check_id"])
            if entry and ex in entry.get("examples", [ex]) and "[skipped by" not in x["check_name"]:
                used.add(x["check_id"])
                suppressed[x["check_id"]] = suppressed.get(x["check_id"], 0) + 1
            else:
                probs.append(f"{x['check_id']} {x['resource']}: {x['check_name']} "
                             f"(lines {x.get('file_line_range')})")
        scanned = len(passes) + len(fails)
        check(f"{ex}: its templates (root and nested stacks): {len(passes)} checks passed, "
              f"{len(fails) - len(probs)} suppressed "
              f"({', '.join(f'{k} x{n}' for k, n in sorted(suppressed.items())) or 'none'}), "
              f"{len(probs)} not accepted", probs if scanned else ["checkov checked nothing"])
    for cid in supp:
        check(f"suppression {cid} is still needed",
              [] if cid in used else [f"no template fails {cid} any more: remove it"])
    print(f"{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
