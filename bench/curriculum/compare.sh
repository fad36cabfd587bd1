#!/usr/bin/env bash
# Curriculum learning on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3,
# every variant the same 57 steps:
#   random             the quickstart recipe as is (seeded shuffle each epoch)
#   competence-length  easiest share first by token length, sqrt competence pacing (c0 0.1, all open at half the steps)
#   competence-loss    the same, ranked by a reference model's loss on each example
#   babysteps-loss     ranked by that loss, 5 buckets released one at a time over the first half of the steps
#   anti-loss          competence pacing, hardest (highest-loss) first: the anti-curriculum control
# The reference model is the quickstart trained for one epoch at seed 0 (a "first-epoch checkpoint"), trained once here.
# Prints each run's test line and wall time. VARIANTS="random anti-loss" and SEEDS="1 2 3" select.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/quickstart.yaml
reference=runs/curriculum-reference/model
if [ ! -f "$reference/config.json" ]; then
  "$tunesharp" train "$recipe" seed=0 training.epochs=1 output_dir=../runs/curriculum-reference > /dev/null
fi
loss="curriculum.difficulty=loss curriculum.reference_model=../$reference"
declare -A overrides=(
  [random]=""
  [competence-length]="curriculum.difficulty=length"
  [competence-loss]="$loss"
  [babysteps-loss]="$loss curriculum.pacing=baby_steps curriculum.buckets=5"
  [anti-loss]="$loss curriculum.order=hard_first"
)
run_one() {
  # shellcheck disable=SC2086  # the overrides are words on purpose
  "$tunesharp" train "$recipe" ${overrides[$1]} seed=$2 output_dir=../runs/curriculum-$1-seed$2 | grep '^test:'
}
sweep "random competence-length competence-loss babysteps-loss anti-loss" run_one
