#!/usr/bin/env bash
# Domain adaptation on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3:
#   none      the quickstart recipe as is (no stage 1)
#   adapted   stage 1: masked-LM on Brown training-document passages (60 steps of 16 x 64 tokens: 960 passages), then the task
#   replay    the same with 20 % of stage 1's rows from nlp-corpus (general text)
# Stage 1 reports the MLM loss on 150 held-out Brown passages (validation documents) and on 150 held-out
# nlp-corpus sentences before and after (runs/dapt-*/domain-adapted/domain-adaptation.json).
# Prints each run's test line, stage 1's losses and the wall time. VARIANTS="none adapted" and SEEDS="1 2 3" select.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/sequence-classification/minilm_full-domain-adapted_cpu.yaml
[ -f runs/data/nlp-corpus/train.jsonl ] || "$tunesharp" data fetch nlp-corpus --out runs/data/nlp-corpus > /dev/null
declare -A overrides=(
  [none]="recipes/quickstart.yaml"
  [adapted]="$recipe"
  [replay]="$recipe domain_adaptation.replay_ratio=0.2"
)
run_one() {
  local variant=$1 seed=$2 out=runs/dapt-$1-seed$2 line stage=""
  # shellcheck disable=SC2086  # the recipe and its overrides are words on purpose
  line=$("$tunesharp" train ${overrides[$variant]} seed=$seed output_dir=../$([ "$variant" = none ] || echo ../)$out | grep '^test:')
  if [ -f "$out/domain-adapted/domain-adaptation.json" ]; then
    stage=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); d,g=r['domain'],r['general']; print(f\"domain MLM {d['loss_before']:.4f} -> {d['loss_after']:.4f}, general MLM {g['loss_before']:.4f} -> {g['loss_after']:.4f}, stage 1 {r['wall_time_s']} s\")" "$out/domain-adapted/domain-adaptation.json")
  fi
  echo "$line; $stage"
}
sweep "none adapted replay" run_one
