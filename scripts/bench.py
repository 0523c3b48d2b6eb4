#!/usr/bin/env python3
"""Measures relcheck against its baselines; see scripts/bench.sh (which builds everything)."""
import os
import platform
import statistics
import subprocess
import sys
import time

RELCHECK = "target/release/relcheck"
BASELINE = "target/bench-baseline/release/relcheck-bench-baseline"


def run(cmd):
    """Wall time (s) and peak RSS (MiB) of one run of cmd; its stdout is discarded."""
    start = time.perf_counter()
    p = subprocess.run(["/usr/bin/time", "-f", "%M", *cmd], stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    wall = time.perf_counter() - start
    if p.returncode not in (0, 1):
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    peak_kib = int(p.stderr.strip().splitlines()[-1])
    return wall, peak_kib / 1024


def measure_together(cmds, repeat):
    """Median wall time and peak RSS of each command over `repeat` rounds. The commands run in
    turn, one of each per round, so a machine that slows down or speeds up during the run
    affects all of them alike (the targets are ratios between them)."""
    runs = [[] for _ in cmds]
    for _ in range(repeat):
        for i, cmd in enumerate(cmds):
            runs[i].append(run(cmd))
    return [(statistics.median(w for w, _ in r), max(m for _, m in r)) for r in runs]


def machine():
    cpu = "unknown CPU"
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        for line in open("/proc/meminfo"):
            if line.startswith("MemTotal"):
                mem = f", {int(line.split()[1]) / 1024 / 1024:.0f} GiB RAM"
    except OSError:
        pass
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}){mem}"


def program(products, n):
    """A program of `products` products of `n` features each, against one product alone."""
    out_dir = f"target/bench/program-{products}x{n}"
    if not os.path.exists(f"{out_dir}/program.yaml"):
        subprocess.run([sys.executable, "scripts/gen-manifest.py", str(n), out_dir, "--products", str(products)],
                       check=True)
    cmd = [RELCHECK, "check", "--format", "json", "--today", "2026-11-26"]
    (one_t, _), (all_t, all_m) = measure_together(
        [cmd + [f"{out_dir}/p00/release.yaml"], cmd + [f"{out_dir}/program.yaml"]], 3)
    cores = os.cpu_count() or 1
    budget = 1.5 * one_t * products / cores
    print(f"| {products} x {n:,} | {one_t:.3f} s | {all_t:.2f} s | {all_m:.0f} MiB | {budget:.2f} s "
          f"| {all_t / (one_t * products / cores):.2f}x |", flush=True)


def main():
    sizes = [int(s) for s in sys.argv[1:] if "x" not in s]
    programs = [tuple(int(x) for x in s.split("x")) for s in sys.argv[1:] if "x" in s]
    print(f"Machine: {machine()}\n")
    if programs:
        print("| products x features | one product | the program | peak | 1.5 x one x products / cores | program / (one x products / cores) |")
        print("|---|---:|---:|---:|---:|---:|")
        for products, n in programs:
            program(products, n)
        print()
    if not sizes:
        return
    print("| features | file | check --format json | peak | relcheck load only | peak | serde_yaml typed parse | peak | check / serde_yaml time | check / serde_yaml memory | µs per feature |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        out_dir = f"target/bench/gen-{n}"
        manifest = f"{out_dir}/release.yaml"
        if not os.path.exists(manifest):
            subprocess.run([sys.executable, "scripts/gen-manifest.py", str(n), out_dir], check=True)
        size_mb = os.path.getsize(manifest) / 1e6
        repeat = 9 if n <= 10_000 else (5 if n <= 100_000 else 3)
        (check_t, check_m), (load_t, load_m), (yaml_t, yaml_m) = measure_together(
            [[RELCHECK, "check", manifest, "--format", "json", "--today", "2026-11-26"],
             [BASELINE, "relcheck-load", manifest],
             [BASELINE, "serde-yaml", manifest]], repeat)
        print(f"| {n:,} | {size_mb:.1f} MB | {check_t:.3f} s | {check_m:.0f} MiB | {load_t:.3f} s | {load_m:.0f} MiB "
              f"| {yaml_t:.3f} s | {yaml_m:.0f} MiB | {check_t / yaml_t:.2f}x | {check_m / yaml_m:.2f}x "
              f"| {check_t / n * 1e6:.1f} |", flush=True)
    alternatives([n for n in sizes if n <= 80_000])
    if 10_000 in sizes and max(sizes) > 10_000:
        linearity(10_000, max(sizes))


def alternatives(sizes):
    """The YAML layer's alternatives: the same files through the parser's events alone, a
    serde-saphyr parse into plain structs, relcheck's loader and a serde_yaml parse."""
    modes = ["granit-events", "saphyr-typed", "relcheck-load", "serde-yaml"]
    print("\n| features | granit-parser events | serde-saphyr plain structs | relcheck loader | serde_yaml plain structs |")
    print("|---:|---:|---:|---:|---:|")
    for n in sizes:
        manifest = f"target/bench/gen-{n}/release.yaml"
        repeat = 9 if n <= 10_000 else 3
        results = measure_together([[BASELINE, m, manifest] for m in modes], repeat)
        yaml_t = results[-1][0]
        cells = [f"{t:.3f} s ({t / yaml_t:.2f}x), {m:.0f} MiB" for t, m in results]
        print(f"| {n:,} | " + " | ".join(cells) + " |", flush=True)


def linearity(small, large):
    """Time per feature of the largest manifest against the 10,000-feature one, measured in
    the same rounds (the table above measures each size at a different time)."""
    cmd = [RELCHECK, "check", "--format", "json", "--today", "2026-11-26"]
    (small_t, _), (large_t, _) = measure_together(
        [cmd + [f"target/bench/gen-{small}/release.yaml"], cmd + [f"target/bench/gen-{large}/release.yaml"]], 3)
    print(f"\nLinearity, measured together: {small_t / small * 1e6:.1f} µs per feature at {small:,}, "
          f"{large_t / large * 1e6:.1f} µs at {large:,}: {large_t / large / (small_t / small):.2f}x", flush=True)


if __name__ == "__main__":
    main()
