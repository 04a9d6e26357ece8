#!/usr/bin/env python3
"""Paired comparison of two sides (A, B) measured in turns: the statistics of bench/side-by-side.sh
and bench/signals.sh throughput.

Reads lines "LABEL ROUND SIDE RPS REQUESTS CPU_TICKS" (SIDE is A or B; REQUESTS the requests wrk
completed in the run, CPU_TICKS the server's user + system clock ticks during it), and prints for
each label, then for all labels together:
- the median requests per second of each side and the median of the paired ratios B/A, with a 95 %
  confidence interval of that median (bootstrap over the pairs, fixed seed);
- the server's CPU per request of each side, as microseconds, and the median of the paired ratios
  B/A of CPU per request, with its interval. Throughput here is bounded by the two cores, so CPU per
  request is the server's cost; unlike requests per second, it does not count the time the machine
  gave to other work (another VM on the host, the other server's collector), so it moves less from
  one run to the next.
A ratio is "within 5 %" when its interval lies inside 0.95-1.05.
"""
import random
import statistics
import sys
from collections import defaultdict

TICKS = int(sys.argv[2]) if len(sys.argv) > 2 else 100


def interval(values, rounds=4000):
    if len(values) < 3:
        return float("nan"), float("nan")
    rng = random.Random(17)
    meds = sorted(statistics.median(rng.choices(values, k=len(values))) for _ in range(rounds))
    return meds[int(rounds * 0.025)], meds[int(rounds * 0.975) - 1]


def line(label, pairs):
    rps_a = [a[0] for a, b in pairs]
    rps_b = [b[0] for a, b in pairs]
    rps_ratio = [b[0] / a[0] for a, b in pairs]
    cpu = [(a[2] / a[1], b[2] / b[1]) for a, b in pairs if a[1] and b[1]]
    cpu_ratio = [cb / ca for ca, cb in cpu if ca]
    lo, hi = interval(rps_ratio)
    clo, chi = interval(cpu_ratio)
    us = 1e6 / TICKS
    return (f"{label}: {len(pairs)} pairs; req/s A {statistics.median(rps_a):.0f}, B {statistics.median(rps_b):.0f}, "
            f"paired B/A {statistics.median(rps_ratio):.3f} [95 % {lo:.3f}-{hi:.3f}]; "
            f"CPU per request A {statistics.median(c[0] for c in cpu) * us:.1f} us, B {statistics.median(c[1] for c in cpu) * us:.1f} us, "
            f"paired B/A {statistics.median(cpu_ratio):.3f} [95 % {clo:.3f}-{chi:.3f}]")


def main():
    runs = defaultdict(dict)
    order = []
    for raw in open(sys.argv[1]):
        f = raw.split()
        if len(f) != 6:
            continue
        label, rnd, side = f[0], f[1], f[2]
        if label not in order:
            order.append(label)
        runs[(label, rnd)][side] = (float(f[3]), int(f[4]), int(f[5]))
    by_label = defaultdict(list)
    for (label, rnd), sides in runs.items():
        if "A" in sides and "B" in sides and sides["A"][0] > 0 and sides["B"][0] > 0:
            by_label[label].append((sides["A"], sides["B"]))
    everything = []
    for label in order:
        print(line(label, by_label[label]))
        everything += by_label[label]
    if len(order) > 1:
        print(line("all", everything))


if __name__ == "__main__":
    main()
