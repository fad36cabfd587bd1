#!/usr/bin/env bash
# Multi-task learning against single-task training with the same steps per task (recipes/multi-task/genre_pos_minilm.yaml:
# MiniLM, Brown genre 300 passages + Brown POS 300 sentences, 3 epochs, batch 16), seeds 1-3:
#   multi       both heads on one encoder, proportional mixing: 19 genre + 19 POS batches an epoch (114 steps)
#   genre       the genre task alone (57 steps)            multi_task.tasks.pos=null
#   pos         the POS task alone (57 steps)              multi_task.tasks.genre=null
#   uncertainty both heads, loss_weighting: uncertainty (Kendall et al. 2018)
# Each arm uses the same training subsets for a seed; the POS test subset (500 sentences) is the same for every seed.
# Validation is not read (eval_strategy is no: nothing is selected on it), to save CPU time.
# Prints each run's test line and wall time, then mean ± std (sample) of each test metric per arm.
# VARIANTS="multi genre pos" and SEEDS="1 2 3" select.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/multi-task/genre_pos_minilm.yaml
declare -A overrides=(
  [multi]=""
  [genre]="multi_task.tasks.pos=null"
  [pos]="multi_task.tasks.genre=null"
  [uncertainty]="multi_task.loss_weighting=uncertainty"
)
no_validation="multi_task.tasks.genre.validation=null multi_task.tasks.pos.validation=null"
results=$(mktemp)
run_one() {
  local line
  # shellcheck disable=SC2086  # the overrides are words on purpose
  line=$("$tunesharp" train "$recipe" $no_validation ${overrides[$1]} seed=$2 device=cpu output_dir=../../runs/multitask-$1-seed$2 | grep '^test:')
  echo "$1 $line" >> "$results"
  echo "$line"
}
sweep "multi genre pos" run_one
echo
echo "test metrics, mean ± std over seeds:"
for variant in ${VARIANTS:-multi genre pos}; do
  for metric in genre/accuracy genre/macro_f1 pos/token_accuracy pos/macro_f1; do
    grep "^$variant " "$results" | grep -o " $metric [0-9.]*" | awk -v v="$variant" -v m="$metric" '
      { x[NR] = $2; s += $2 } END { if (NR == 0) exit; mean = s / NR; for (i = 1; i <= NR; i++) ss += (x[i] - mean) ^ 2;
        printf "  %-12s %-20s %.4f ± %.4f (n=%d)\n", v, m, mean, (NR > 1 ? sqrt(ss / (NR - 1)) : 0), NR }'
  done
done
rm -f "$results"
