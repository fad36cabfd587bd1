#!/usr/bin/env python3
"""Builds data/brown-genre-passages/ (committed) from `tunesharp data fetch brown --out DIR`'s genre-passages split.

  dotnet run -c Release --project src/TuneSharp.Cli -- data fetch brown --out /tmp/brown
  python3 scripts/make_brown_genre_passages.py /tmp/brown/genre-passages data/brown-genre-passages

The fetch splits the 500 Brown documents (train/validation/test, stratified by genre), so no document has
passages on two sides. From there, seeded: train = 1,000 passages balanced over the 15 genres (as far as a genre
has passages), validation = 300 balanced, test = at most 25 passages of every test document (1,200-odd).
"""
import json, random, sys, collections, os

src, out = sys.argv[1], sys.argv[2]
rng = random.Random(20261204)

def read(name):
    with open(os.path.join(src, name + ".jsonl"), encoding="utf-8") as f:
        return [json.loads(l) for l in f if l.strip()]

def balanced(rows, n):
    by = collections.defaultdict(list)
    for r in rows: by[r["label"]].append(r)
    for v in by.values(): rng.shuffle(v)
    labels = sorted(by)
    picked, i = [], 0
    while len(picked) < n and any(by.values()):
        lab = labels[i % len(labels)]; i += 1
        if by[lab]: picked.append(by[lab].pop())
    rng.shuffle(picked)
    return picked

def per_doc(rows, k):
    by = collections.defaultdict(list)
    for r in rows: by[r["doc"]].append(r)
    picked = []
    for doc in sorted(by):
        v = by[doc]; rng.shuffle(v); picked.extend(v[:k])
    rng.shuffle(picked)
    return picked

os.makedirs(out, exist_ok=True)
splits = {"train": balanced(read("train"), 1000), "validation": balanced(read("validation"), 300), "test": per_doc(read("test"), 25)}
for name, rows in splits.items():
    tmp = os.path.join(out, name + ".jsonl.tmp")
    with open(tmp, "w", encoding="utf-8") as f:
        for r in rows: f.write(json.dumps(r, ensure_ascii=False, separators=(",", ":")) + "\n")
    os.replace(tmp, os.path.join(out, name + ".jsonl"))
    counts = collections.Counter(r["label"] for r in rows)
    print(name, len(rows), len({r["doc"] for r in rows}), "docs", dict(sorted(counts.items())))
