#!/usr/bin/env python3
"""Mean ± std (n - 1) over seeds of bench/peft-methods/decoder.sh's runs, from each run's report.json:
test loss, chrF, ROUGE-L, trainable parameters, training wall time and tokens/s. Usage: python3 bench/peft-methods/summarize_decoder.py"""
import glob, json, os, re, statistics

runs = {}
for path in sorted(glob.glob("runs/peft-decoder-*-seed*/report.json")):
    variant, seed = re.match(r"runs/peft-decoder-(.+)-seed(\d+)/", path).groups()
    runs.setdefault(variant, []).append((int(seed), json.load(open(path))))

def cell(xs, fmt):
    if len(xs) < 2:
        return format(xs[0], fmt)
    return f"{format(statistics.mean(xs), fmt)} ± {format(statistics.stdev(xs), fmt)}"

print("| variant | seeds | trainable | test loss | chrF | ROUGE-L | run wall s (report) | trained tokens/s |")
print("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |")
for variant in ["full", "lora", "dora", "prompt"]:
    if variant not in runs:
        continue
    rs = sorted(runs[variant], key=lambda r: r[0])
    m = [r["test"]["metrics"] for _, r in rs]
    print(f"| {variant} | {', '.join(str(s) for s, _ in rs)} | {rs[0][1]['method']['trainable_parameters']:,} "
          f"| {cell([x['loss'] for x in m], '.3f')} | {cell([x['chrf'] for x in m], '.2f')} | {cell([x['rougeL'] for x in m], '.3f')} "
          f"| {cell([r['wall_time_s'] for _, r in rs], '.0f')} | {cell([r['tokens_per_s'] for _, r in rs], '.0f')} |")
