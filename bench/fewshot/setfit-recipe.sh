#!/usr/bin/env bash
# SetFit from a recipe (method.type setfit) against its own control, on 120 of the Brown genre training passages
# (data.limit, about 8 per genre; 15 genres), seeds 1-3:
#   setfit   recipes/sequence-classification/minilm_setfit_cpu.yaml as is: 640 contrastive pairs (40 steps of 16)
#            at lr 2e-5, then the logistic-regression head on the tuned encoder's mean-pooled vectors
#   frozen   the same recipe with method.type=frozen-features: the same head on the untouched encoder
# Prints each run's test line and wall time. VARIANTS="setfit frozen" and SEEDS="1 2 3" select.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/sequence-classification/minilm_setfit_cpu.yaml
declare -A overrides=(
  [setfit]=""
  [frozen]="method.type=frozen-features method.setfit=null"
)
run_one() {
  # shellcheck disable=SC2086  # the overrides are words on purpose
  "$tunesharp" train "$recipe" ${overrides[$1]} seed=$2 output_dir=../../runs/setfit-recipe-$1-seed$2 | grep '^test:'
}
sweep "setfit frozen" run_one
