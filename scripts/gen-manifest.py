#!/usr/bin/env python3
"""Generate a large, realistic release manifest for benchmarks and scale tests.

Usage: scripts/gen-manifest.py FEATURES [OUT_DIR]
       scripts/gen-manifest.py FEATURES OUT_DIR --products P

With --products, writes a program manifest OUT_DIR/program.yaml with P products, each a
release manifest of FEATURES features in OUT_DIR/pNN/ (product N depends on product N-1).

Writes OUT_DIR/release.yaml (default: bench/gen-FEATURES) with FEATURES features of about
800 bytes each (the feature with its tests, docs and training), about 3% of them violating
each feature rule, plus the files a few entries point at (a JUnit report, docs). The output
is deterministic: the same FEATURES gives the same bytes.
"""
import os
import sys


def main():
    args = sys.argv[1:]
    if "--products" in args:
        i = args.index("--products")
        products = int(args[i + 1])
        del args[i:i + 2]
        n, out_dir = int(args[0]), args[1]
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "program.yaml"), "w") as f:
            f.write("relcheck: 1\nprogram:\n  id: gen\n  name: Generated program\n"
                    "  date: 2026-12-15\n  products:\n")
            for p in range(products):
                dep = f"\n      depends_on: [p{p - 1:02d}]" if p else ""
                f.write(f"    - id: p{p:02d}\n      manifest: p{p:02d}/release.yaml{dep}\n")
        for p in range(products):
            release(n, os.path.join(out_dir, f"p{p:02d}"))
        return
    n = int(args[0])
    release(n, args[1] if len(args) > 1 else f"bench/gen-{n}")


def release(n, out_dir):
    os.makedirs(os.path.join(out_dir, "docs"), exist_ok=True)
    os.makedirs(os.path.join(out_dir, "reports"), exist_ok=True)
    with open(os.path.join(out_dir, "docs", "guide.md"), "w") as f:
        f.write("# Guide\n\nHow to use the features of this release, step by step.\n")
    with open(os.path.join(out_dir, "reports", "it.xml"), "w") as f:
        f.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>\n'
                '  <testsuite name="IT" tests="2">\n'
                '    <testcase classname="it" name="a" time="0.1"/>\n'
                '    <testcase classname="it" name="b" time="0.2"/>\n'
                '  </testsuite>\n</testsuites>\n')
    w = open(os.path.join(out_dir, "release.yaml"), "w")
    w.write(f"""relcheck: 1
release:
  name: Generated {n}
  version: 1.0.0
  date: 2026-12-15
  freeze: 2026-11-20
  roles:
    product_owner: Dana Ruiz
    deployment_engineer: Lee Park
    deployment_manager: Kim Olsen
  approvals:
    - by: Dana Ruiz
      role: product-owner
      status: approved
      date: 2026-12-10
sprints:
  - id: S1
    kind: feature
    start: 2026-10-05
    end: 2026-10-16
    planned: 30
    completed: 29
    hours_per_week: 40
  - id: S2
    kind: feature
    start: 2026-10-19
    end: 2026-10-30
    planned: 30
    completed: 31
    hours_per_week: 40
  - id: R1
    kind: release
    start: 2026-11-30
    end: 2026-12-11
    planned: 27
    hours_per_week: 40
""")
    # Every 33rd feature (about 3%) violates one feature rule, cycling through them.
    bad = ["untested", "failing", "missing-kind", "planned", "beta", "done", "late",
           "release-sprint", "critical", "major", "undocumented", "untrained", "draft-doc",
           "unknown-ref", "duplicate"]
    w.write("features:\n")
    for i in range(n):
        v = bad[(i // 33) % len(bad)] if i % 33 == 0 else None
        fid = f"feature-{i:06d}" if v != "duplicate" else f"feature-{i - 33:06d}"
        status = {"planned": "planned", "done": "done"}.get(v, "accepted")
        maturity = "beta" if v == "beta" else "stable"
        added = "2026-11-25" if v == "late" else "2026-10-01"
        sprint = "R1" if v == "release-sprint" else ("S1" if i % 2 else "S2")
        tests = "[]" if v == "untested" else (
            f"[f{i}-it]" if v == "missing-kind" else f"[f{i}-it, f{i}-uat]")
        if v == "unknown-ref":
            tests = f"[f{i}-it, f{i}-nope]"
        docs = "[]" if v == "undocumented" else f"[f{i}-guide]"
        training = "[]" if v == "untrained" else f"[f{i}-course]"
        crit = 1 if v == "critical" else 0
        major = 2 if v == "major" else 0
        w.write(f"""  - id: {fid}
    title: Feature number {i} of the generated release, described in a full sentence for realism
    x-owner: team-{i % 17}
    x-ticket: REL-{100000 + i}
    x-notes: Reviewed in sprint planning; acceptance criteria agreed with the product owner.
    status: {status}
    maturity: {maturity}
    added: {added}
    sprint: {sprint}
    tests: {tests}
    docs: {docs}
    training: {training}
    defects: {{critical: {crit}, major: {major}}}
""")
    w.write("tests:\n")
    for i in range(n):
        v = bad[(i // 33) % len(bad)] if i % 33 == 0 else None
        status = "failed" if v == "failing" else "passed"
        report = "\n    report: reports/it.xml\n    suite: IT" if i % 100 == 1 else ""
        w.write(f"""  - id: f{i}-it
    kind: integration
    status: {status}{report}
  - id: f{i}-uat
    kind: uat
    status: passed
""")
    w.write("""  - id: system-e2e
    kind: system
    status: passed
docs:
""")
    for i in range(n):
        v = bad[(i // 33) % len(bad)] if i % 33 == 0 else None
        status = "draft" if v == "draft-doc" else "final"
        loc = "path: docs/guide.md" if i % 100 == 2 else f"url: https://docs.example.com/f/{i}"
        w.write(f"""  - id: f{i}-guide
    kind: user
    {loc}
    status: {status}
""")
    w.write("""  - id: notes
    kind: release-notes
    path: docs/guide.md
    status: final
  - id: runbook
    kind: support
    url: https://wiki.example.com/runbook
    status: final
training:
""")
    for i in range(n):
        w.write(f"""  - id: f{i}-course
    audience: end-user
    url: https://learn.example.com/f/{i}
    status: ready
    session: 2026-12-08
""")
    w.write("""  - id: support-course
    audience: support
    url: https://learn.example.com/support
    status: ready
    session: 2026-12-09
deployment:
  plan: docs/guide.md
  backout:
    path: docs/guide.md
    tested: true
  communications:
    - audience: customers
      url: https://example.com/news
  controls:
    - name: Package integrity verified
      status: met
  infrastructure:
    - name: db
      status: validated
""")
    w.close()


if __name__ == "__main__":
    main()
