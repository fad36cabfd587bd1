#!/usr/bin/env bash
# Layer-wise fine-tuning on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3:
#   full            the quickstart recipe as is (one learning rate, nothing frozen)
#   discriminative  training.layerwise_lr_decay=2.6 (ULMFiT: each group below the top at the rate above / 2.6)
#   unfreezing      training.gradual_unfreezing=true, one more group every 7 steps (all 8 groups open by step 49)
#   freeze3         method.freeze_layers=3 (embeddings + bottom 3 of 6 layers frozen)
# Prints each run's test line and wall time. VARIANTS="full freeze3" and SEEDS="1 2 3" select.
set -euo pipefail
cd "$(dirname "$0")/../.."
tunesharp=src/TuneSharp.Cli/bin/Release/net10.0/tunesharp
recipe=recipes/quickstart.yaml
declare -A overrides=(
  [full]=""
  [discriminative]="training.layerwise_lr_decay=2.6"
  [unfreezing]="training.gradual_unfreezing=true training.unfreeze_every_steps=7"
  [freeze3]="method.freeze_layers=3"
)
for seed in ${SEEDS:-1 2 3}; do
  for variant in ${VARIANTS:-full discriminative unfreezing freeze3}; do
    start=$(date +%s)
    # shellcheck disable=SC2086  # the overrides are words on purpose
    line=$("$tunesharp" train "$recipe" ${overrides[$variant]} seed=$seed output_dir=../runs/layerwise-$variant-seed$seed | grep '^test:')
    echo "$variant seed $seed: $line ($(( $(date +%s) - start )) s)"
  done
done
