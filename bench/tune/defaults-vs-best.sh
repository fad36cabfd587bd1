#!/usr/bin/env bash
# Test scores of the recipe's default hyperparameters and of the best trial's, under the study's fixed budget
# (1 epoch, 128 tokens, evaluation every 6 steps), seeds 1, 2, 3. BEST is the best trial's recipe (default: the
# TPE study's best.yaml, which already carries the fixed keys).
set -euo pipefail
cd "$(dirname "$0")/../.."
tunesharp=src/TuneSharp.Cli/bin/Release/net10.0/tunesharp
recipe=recipes/sequence-classification/tunesharp-base_lora_cpu.yaml
best=${BEST:-runs/spam-lora-search/best.yaml}
for seed in 1 2 3; do
  start=$(date +%s)
  "$tunesharp" train "$recipe" training.epochs=1 data.max_length=128 evaluation.eval_steps=6 training.save_total_limit=1 \
    seed=$seed output_dir=../../runs/spam-defaults-seed$seed | grep '^test:'
  echo "defaults seed $seed: $(( $(date +%s) - start )) s"
  start=$(date +%s)
  "$tunesharp" train "$best" seed=$seed output_dir=best-seed$seed | grep '^test:'
  echo "best seed $seed: $(( $(date +%s) - start )) s"
done
