#!/usr/bin/env python3
"""Summary table of bench/gateway.sh's RESULT lines: python3 bench/gateway/summary.py OUTPUT_FILE.

"Added" = path - direct at the same concurrency or rate. The rate rows are the highest swept rate at which the
gateway had no errors and its p99 stayed within the given margin of direct's p99 at that rate (direct having
no errors there either); "none" when no swept rate qualifies.
"""
import sys

rows = {}
for line in open(sys.argv[1]):
    if line.startswith("RESULT "):
        kv = dict(part.split("=", 1) for part in line.split()[1:])
        rows.setdefault(kv["mode"], []).append(kv)


def by_label(mode):
    return {r["label"]: r for r in rows.get(mode, [])}


def f(v):
    return "n/a" if v is None else (v if isinstance(v, str) else f"{v:.3f}")


def added(path, direct):
    return None if path is None or direct is None else path - direct


lines = []


def row(name, d, p, k):
    lines.append(f"| {name} | {f(d)} | {f(p)} | {f(k)} | {f(added(p, d))} | {f(added(k, d))} |")


c1 = by_label("c1")
for key, name in (("p50_ms", "latency p50, concurrency 1 (ms)"), ("p99_ms", "latency p99, concurrency 1 (ms)")):
    g = lambda l: float(c1[l][key]) if l in c1 else None
    row(name, g("direct"), g("plugai"), g("portkey"))

rate = rows.get("rate", [])
direct = {r["rate"]: r for r in rate if r["label"] == "direct"}


def highest(label, margin_ms):
    ok = None
    for r in rate:
        if r["label"] != label or r["rate"] not in direct:
            continue
        d = direct[r["rate"]]
        if int(r["errors"]) == 0 and int(d["errors"]) == 0 and float(r["p99_ms"]) - float(d["p99_ms"]) < margin_ms:
            ok = max(ok or 0, float(r["rate"]))
    return "none" if ok is None else f"{ok:.0f}"


if rate:
    swept = ",".join(sorted(direct, key=float))
    top = max((float(r["rate"]) for r in direct.values() if int(r["errors"]) == 0), default=None)
    for margin in (5, 50):
        lines.append(f"| highest swept rate with added p99 < {margin} ms and 0 errors (req/s; swept {swept}) | "
                     f"{f(top) if top is None else f'{top:.0f}'} (all) | {highest('plugai', margin)} | "
                     f"{highest('portkey', margin)} | | |")

st = by_label("stream")
for key, name in (("ttft_p50_ms", "stream 64x20 ms: time to first token, median (ms)"),
                  ("ttfb_p50_ms", "stream 64x20 ms: time to first body byte, median (ms)")):
    g = lambda l: float(st[l][key]) if l in st else None
    row(name, g("direct"), g("plugai"), g("portkey"))

hold = by_label("hold")
if hold:
    g = lambda l: float(hold[l]["per_stream_kib"]) if l in hold else None
    n = next(iter(hold.values()))["count"]
    lines.append(f"| memory per concurrent stream, {n} streams (KiB of RSS) | | {f(g('plugai'))} | {f(g('portkey'))} | | |")

print("| figure | direct | PlugAI | Portkey | added PlugAI | added Portkey |")
print("|---|---|---|---|---|---|")
print("\n".join(lines))
if rate:
    print()
    print("| rate (req/s) | direct p50/p99 ms (errors) | PlugAI p50/p99 ms (errors) | Portkey p50/p99 ms (errors) |")
    print("|---|---|---|---|")
    by = {}
    for r in rate:
        by.setdefault(r["rate"], {})[r["label"]] = r
    for rt in sorted(by, key=float):
        cell = lambda l: (f"{by[rt][l]['p50_ms']}/{by[rt][l]['p99_ms']} ({by[rt][l]['errors']})" if l in by[rt] else "-")
        print(f"| {rt} | {cell('direct')} | {cell('plugai')} | {cell('portkey')} |")
if hold:
    print()
    for label, r in hold.items():
        print(f"hold {label}: {r['count']} streams ({r['streaming']} streaming, {r['failed']} failed), "
              f"RSS {int(r['rss0_kib']) // 1024} MiB -> {int(r['rssk_kib']) // 1024} MiB")
