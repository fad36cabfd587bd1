"""The distillation table from the run folders bench/distillation/compare.sh leaves: test accuracy and macro-F1,
mean ± sample std (n-1) over the seeds found, the share of the teacher's score each student keeps, and parameters."""
import json, os, statistics, sys

root = sys.argv[1] if len(sys.argv) > 1 else "runs"
rows = [("teacher (6 layers)", "distill-teacher-seed{}"), ("KD student, 3 layers", "distill-kd-l3-seed{}"),
        ("hard-label student, 3 layers", "distill-hard-l3-seed{}"), ("KD student, 2 layers", "distill-kd-l2-seed{}"),
        ("hard-label student, 2 layers", "distill-hard-l2-seed{}")]

def runs(pattern):
    out = {}
    for seed in (1, 2, 3):
        path = os.path.join(root, pattern.format(seed), "report.json")
        if os.path.exists(path):
            out[seed] = json.load(open(path))
    return out

def ms(values):
    if not values: return "—"
    if len(values) == 1: return f"{values[0]:.3f} (1 seed)"
    return f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"

teacher = runs(rows[0][1])
print("| model | seeds | test accuracy | test macro-F1 | accuracy kept (student/teacher, per seed, mean) | macro-F1 kept | parameters | train wall s (mean) |")
print("|---|---|---|---|---|---|---|---|")
for name, pattern in rows:
    r = runs(pattern)
    acc = [r[s]["test"]["metrics"]["accuracy"] for s in sorted(r)]
    f1 = [r[s]["test"]["metrics"]["macro_f1"] for s in sorted(r)]
    keep_acc = [r[s]["test"]["metrics"]["accuracy"] / teacher[s]["test"]["metrics"]["accuracy"] for s in sorted(r) if s in teacher]
    keep_f1 = [r[s]["test"]["metrics"]["macro_f1"] / teacher[s]["test"]["metrics"]["macro_f1"] for s in sorted(r) if s in teacher]
    params = {r[s]["method"]["total_parameters"] for s in r}
    wall = [r[s]["wall_time_s"] for s in r]
    print(f"| {name} | {','.join(map(str, sorted(r)))} | {ms(acc)} | {ms(f1)} | {ms(keep_acc)} | {ms(keep_f1)} | "
          f"{'/'.join(str(p) for p in sorted(params)) or '—'} | {statistics.mean(wall) if wall else float('nan'):.0f} |")
