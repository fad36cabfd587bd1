#!/usr/bin/env bash
# Few-shot learning curve on the quickstart task (Brown genre, 15 classes, MiniLM): k examples per class, 3 seeds,
# on a seeded 200-passage subset of the 1,225 test passages (evaluation cost on a shared 2-core machine).
#   bash bench/fewshot/compare.sh            # all three parts, one after another
#   bash bench/fewshot/compare.sh embeddings # zero-shot, frozen embeddings + LR, SetFit
#   bash bench/fewshot/compare.sh prompting  # k-shot prompting of tunesharp-base (k=1: 15 shots already fill its 512-token context)
#   bash bench/fewshot/compare.sh finetune   # full fine-tuning of the quickstart recipe on the k-shot set, k = 1..64
#   bash bench/fewshot/compare.sh merge      # the three parts' runs as one table and plot in runs/fewshot-all
# Each part writes runs/fewshot-<part>/curve.md, curve.json, curve.png and runs.jsonl.
set -euo pipefail
cd "$(dirname "$0")/../.."
cli=${TUNESHARP:-src/TuneSharp.Cli/bin/Release/net10.0/tunesharp}
[ -x "$cli" ] || dotnet build -c Release src/TuneSharp.Cli >/dev/null
common=(recipes/quickstart.yaml --seeds 1,2,3 --test-limit 200 --label-descriptions bench/fewshot/genre-descriptions.json)
part=${1:-all}
if [[ $part == all || $part == embeddings ]]; then
  # SetFit: 20 iterations per example as setfit's default, capped at 64 pairs (4 steps of 16) for the CPU budget.
  "$cli" fewshot "${common[@]}" --k 1,2,4,8,16,32,64 --methods zero-shot,frozen,setfit --max-pairs 64 --output runs/fewshot-embeddings
fi
if [[ $part == all || $part == prompting ]]; then
  "$cli" fewshot "${common[@]}" --k 1 --methods prompting --prompting-model models/tunesharp-base --prompt-noun genre --output runs/fewshot-prompting
fi
if [[ $part == all || $part == finetune ]]; then
  "$cli" fewshot "${common[@]}" --k 1,2,4,8,16,32,64 --methods finetune --finetune-min-steps 8 --output runs/fewshot-finetune
fi
if [[ $part == all || $part == merge ]]; then
  "$cli" fewshot "${common[@]}" --merge runs/fewshot-embeddings,runs/fewshot-finetune,runs/fewshot-prompting --output runs/fewshot-all
fi
