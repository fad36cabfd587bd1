#!/usr/bin/env bash
# Full fine-tuning, LoRA and DoRA on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3, both
# with the quickstart's LoRA row settings (r=8, alpha 16, query/key/value/dense, lr 2e-3):
#   full   the quickstart recipe as is (every weight trains, lr 3e-4)
#   lora   method.type=lora
#   dora   the same + method.lora.use_dora=true (a magnitude per output row)
#   prompt method.type=prompt-tuning: 20 virtual tokens, TEXT init, lr 3e-2 (the encoder frozen; prompt and head train)
# Prints each run's test line, trainable parameters, wall time and peak resident memory (GNU time).
# VARIANTS="full lora dora prompt" and SEEDS="1 2 3" select. Needs GNU time (Debian package `time`) for the memory figure.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/quickstart.yaml
declare -A overrides=(
  [full]=""
  [lora]="method.type=lora training.learning_rate=2e-3"
  [dora]="method.type=lora training.learning_rate=2e-3 method.lora.use_dora=true"
  [prompt]="method.type=prompt-tuning training.learning_rate=3e-2 method.prompt_tuning.prompt_tuning_init=TEXT"
)
prompt_text="method.prompt_tuning.prompt_tuning_init_text=What is the genre of this passage: news, fiction, science, religion, humor or romance?"
run_one() {
  local variant=$1 seed=$2 out=runs/peft-$1-seed$2 line trainable
  local extra=()
  [ "$variant" = prompt ] && extra=("$prompt_text")
  # shellcheck disable=SC2086  # the overrides are words on purpose
  line=$(/usr/bin/time -f "peak_rss_kb %M" "$tunesharp" train "$recipe" ${overrides[$variant]} "${extra[@]}" seed=$seed output_dir=../$out 2>&1 | grep '^test:\|^peak_rss_kb' | tr '\n' ' ')
  trainable=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); m=r['method']; print(m.get('trainable_parameters', m))" "$out/report.json" 2>/dev/null || echo "?")
  echo "${line% } trainable $trainable"
}
sweep "full lora dora prompt" run_one
