#!/usr/bin/env bash
# Full fine-tuning, LoRA, DoRA and prompt tuning on the generative default (tunesharp-base, 4 layers, 5.3M parameters):
# CMU Pronouncing Dictionary SFT (word -> ARPAbet), SAMPLE words (80 % train), EPOCHS epochs, seeds 1-3, scored on the
# test references (loss, and chrF / ROUGE-L / exact match of 64 greedy generations):
#   full   recipes/causal-lm-sft/tunesharp-base_full_cpu.yaml (every weight, lr 1e-4)
#   lora   recipes/causal-lm-sft/tunesharp-base_lora_cpu.yaml (r 16 on every projection, lr 1e-3)
#   dora   the same + method.lora.use_dora=true
#   prompt recipes/causal-lm-sft/tunesharp-base_prompt-tuning_cpu.yaml (20 virtual tokens, TEXT init, lr 3e-2)
# Prints each run's test line, trainable parameters and peak resident memory (GNU time: Debian package `time`).
# VARIANTS="full lora dora prompt" SEEDS="1 2 3" SAMPLE=4000 EPOCHS=2 select.
source "$(dirname "$0")/../lib/sweep.sh"
sample=${SAMPLE:-4000}
data=runs/seqkd-cmudict-$sample   # the sample the sequence-level KD benchmark uses
[ -f $data/train.jsonl ] || "$tunesharp" data fetch cmudict --out $data --sample "$sample" >/dev/null
declare -A recipes=(
  [full]=recipes/causal-lm-sft/tunesharp-base_full_cpu.yaml
  [lora]=recipes/causal-lm-sft/tunesharp-base_lora_cpu.yaml
  [dora]=recipes/causal-lm-sft/tunesharp-base_lora_cpu.yaml
  [prompt]=recipes/causal-lm-sft/tunesharp-base_prompt-tuning_cpu.yaml
)
common="data.train=../../$data/train.jsonl data.validation=../../$data/validation.jsonl data.test=../../$data/test.jsonl training.epochs=${EPOCHS:-2} evaluation.eval_steps=0 evaluation.eval_strategy=no evaluation.load_best_model_at_end=false"
run_one() {
  local variant=$1 seed=$2 out=runs/peft-decoder-$1-seed$2 line trainable extra=""
  [ "$variant" = dora ] && extra="method.lora.use_dora=true"
  # shellcheck disable=SC2086  # the overrides are words on purpose
  line=$(/usr/bin/time -f "peak_rss_kb %M" "$tunesharp" train "${recipes[$variant]}" $common $extra seed=$seed output_dir=../../$out 2>&1 | grep '^test:\|^peak_rss_kb' | tr '\n' ' ')
  trainable=$(python3 -c "import json,sys; r=json.load(open(sys.argv[1])); m=r['method']; print(m.get('trainable_parameters', m))" "$out/report.json" 2>/dev/null || echo "?")
  echo "${line% } trainable $trainable"
}
sweep "full lora dora prompt" run_one
