#!/usr/bin/env bash
# Layer-wise fine-tuning on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3:
#   full            the quickstart recipe as is (one learning rate, nothing frozen)
#   discriminative  training.layerwise_lr_decay=2.6 (ULMFiT: each group below the top at the rate above / 2.6)
#   unfreezing      training.gradual_unfreezing=true, one more group every 7 steps (all 8 groups open by step 49)
#   freeze3         method.freeze_layers=3 (embeddings + bottom 3 of 6 layers frozen)
# Prints each run's test line and wall time. VARIANTS="full freeze3" and SEEDS="1 2 3" select.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/quickstart.yaml
declare -A overrides=(
  [full]=""
  [discriminative]="training.layerwise_lr_decay=2.6"
  [unfreezing]="training.gradual_unfreezing=true training.unfreeze_every_steps=7"
  [freeze3]="method.freeze_layers=3"
)
run_one() {
  # shellcheck disable=SC2086  # the overrides are words on purpose
  "$tunesharp" train "$recipe" ${overrides[$1]} seed=$2 output_dir=../runs/layerwise-$1-seed$2 | grep '^test:'
}
sweep "full discriminative unfreezing freeze3" run_one
