#!/usr/bin/env python3
"""Mean ± std (sample std, n-1) over the seeds of each variant that compare.sh ran, from the run folders:
runs/dapt-VARIANT-seedN/report.json (test accuracy, macro-F1, wall time) and domain-adapted/domain-adaptation.json
(stage 1's MLM losses). Usage: python3 bench/domain-adaptation/summarize.py [runs]"""
import glob, json, os, re, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else "runs"
rows = {}
for report in sorted(glob.glob(os.path.join(root, "dapt-*-seed*", "report.json"))):
    variant, seed = re.match(r"dapt-(.+)-seed(\d+)", os.path.basename(os.path.dirname(report))).groups()
    r = json.load(open(report))
    entry = {"seed": int(seed), "acc": r["test"]["metrics"]["accuracy"], "f1": r["test"]["metrics"]["macro_f1"], "wall": r["wall_time_s"]}
    stage = os.path.join(os.path.dirname(report), "domain-adapted", "domain-adaptation.json")
    if os.path.exists(stage):
        s = json.load(open(stage))
        for k in ("domain", "general"):
            entry[k + "_before"], entry[k + "_after"] = s[k]["loss_before"], s[k]["loss_after"]
        entry["stage_wall"] = s["wall_time_s"]
    rows.setdefault(variant, []).append(entry)

def ms(values, digits=3):
    if len(values) == 1: return f"{values[0]:.{digits}f} (1 seed)"
    return f"{statistics.mean(values):.{digits}f} ± {statistics.stdev(values):.{digits}f}"

print("| variant | seeds | test accuracy | test macro-F1 | per seed (accuracy) | domain MLM loss before → after | general MLM loss before → after | wall per run (stage 1) |")
print("| --- | --- | ---: | ---: | --- | --- | --- | ---: |")
for variant, es in rows.items():
    es.sort(key=lambda e: e["seed"])
    get = lambda k: [e[k] for e in es if k in e]
    stage = lambda k: f"{ms(get(k + '_before'))} → {ms(get(k + '_after'))}" if get(k + "_before") else "–"
    wall = f"{statistics.mean(get('wall')):.0f} s" + (f" ({statistics.mean(get('stage_wall')):.0f} s)" if get("stage_wall") else "")
    print(f"| {variant} | {', '.join(str(e['seed']) for e in es)} | {ms(get('acc'))} | {ms(get('f1'))} | {', '.join(f'{a:.3f}' for a in get('acc'))} | {stage('domain')} | {stage('general')} | {wall} |")
