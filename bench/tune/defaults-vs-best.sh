#!/usr/bin/env bash
# Test scores of the recipe's default hyperparameters and of the best trial's, under the study's fixed budget
# (1 epoch, 128 tokens, evaluation every 6 steps), seeds 1, 2, 3.
#   BEST=runs/spam-lora-search/best.yaml   the best trial's recipe (the default; it carries the fixed keys), or
#   BEST_OVERRIDES="training.learning_rate=0.00487 method.lora.r=8 training.warmup_ratio=0.16"
#                                          the best trial's values applied to the recipe under the fixed budget
#   ARMS="defaults best"                   which arms to run; SEEDS="1 2 3" which seeds
set -euo pipefail
cd "$(dirname "$0")/../.."
tunesharp=src/TuneSharp.Cli/bin/Release/net10.0/tunesharp
recipe=recipes/sequence-classification/tunesharp-base_lora_cpu.yaml
fixed=(training.epochs=1 data.max_length=128 evaluation.eval_steps=6 training.save_total_limit=1)
best=${BEST:-runs/spam-lora-search/best.yaml}
arms=${ARMS:-defaults best}
for seed in ${SEEDS:-1 2 3}; do
  for arm in $arms; do
    start=$(date +%s)
    if [ "$arm" = defaults ]; then
      "$tunesharp" train "$recipe" "${fixed[@]}" seed=$seed output_dir=../../runs/spam-defaults-seed$seed | grep '^test:'
    elif [ -n "${BEST_OVERRIDES:-}" ]; then
      # shellcheck disable=SC2086  # the overrides are words on purpose
      "$tunesharp" train "$recipe" "${fixed[@]}" $BEST_OVERRIDES seed=$seed output_dir=../../runs/spam-best-seed$seed | grep '^test:'
    else
      "$tunesharp" train "$best" seed=$seed output_dir=best-seed$seed | grep '^test:'
    fi
    echo "$arm seed $seed: $(( $(date +%s) - start )) s"
  done
done
