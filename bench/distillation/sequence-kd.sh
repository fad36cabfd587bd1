#!/usr/bin/env bash
# Sequence-level KD on CMU Pronouncing Dictionary SFT, on a sample small enough for a shared CPU:
#   teacher   recipes/causal-lm-sft/tunesharp-base_full_cpu.yaml (tunesharp-base, 4 layers) on SAMPLE words
#   student   `models shrink --every-other` of the teacher (layers 0, 2)
#   seqkd     the student trained on the teacher's greedy outputs (`distill generate`)
#   control   the same student trained on the references
# Prints each run's test line (exact match, chrF, ROUGE-L on the real references) and wall time; the student's
# speed and size are in its report.md. SAMPLE=4000 EPOCHS=2 SEEDS="1" select.
set -euo pipefail
cd "$(dirname "$0")/../.."
tunesharp=${TUNESHARP:-src/TuneSharp.Cli/bin/Release/net10.0/tunesharp}
sample=${SAMPLE:-4000}
data=runs/seqkd-cmudict-$sample
[ -f $data/train.jsonl ] || "$tunesharp" data fetch cmudict --out $data --sample "$sample" >/dev/null
common="data.validation=../../$data/validation.jsonl data.test=../../$data/test.jsonl training.epochs=${EPOCHS:-2} evaluation.eval_steps=0 evaluation.eval_strategy=no evaluation.load_best_model_at_end=false"
for seed in ${SEEDS:-1}; do
  teacher=runs/seqkd-teacher-seed$seed
  start=$(date +%s)
  # shellcheck disable=SC2086
  line=$("$tunesharp" train recipes/causal-lm-sft/tunesharp-base_full_cpu.yaml data.train=../../$data/train.jsonl $common seed=$seed output_dir=../../$teacher | grep '^test:')
  echo "teacher seed $seed: $line ($(( $(date +%s) - start )) s)"
  "$tunesharp" models shrink --model $teacher/model --every-other --out runs/seqkd-student-seed$seed >/dev/null
  "$tunesharp" distill generate --teacher $teacher/model --input $data/train.jsonl --output runs/seqkd-train-seed$seed.jsonl --batch-size 32 | tail -1
  for variant in seqkd control; do
    train=runs/seqkd-train-seed$seed.jsonl; [ $variant = control ] && train=$data/train.jsonl
    start=$(date +%s)
    # shellcheck disable=SC2086
    line=$("$tunesharp" train recipes/causal-lm-sft/tunesharp-base_seqkd-2layer_cpu.yaml model=../../runs/seqkd-student-seed$seed data.train=../../$train $common \
      seed=$seed output_dir=../../runs/seqkd-$variant-seed$seed | grep '^test:')
    echo "$variant seed $seed: $line ($(( $(date +%s) - start )) s)"
  done
done
