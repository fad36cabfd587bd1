#!/usr/bin/env bash
# Knowledge distillation on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3:
#   teacher   recipes/quickstart.yaml (full fine-tuning, 6 layers) → runs/distill-teacher-seedS/model; trained only when
#             absent (the lead's measurement reused bench/layerwise's runs/layerwise-full-seedS, the identical recipe and code)
#   students  `models shrink` of that teacher: 3 layers = teacher layers 0,2,4 (--every-other), 2 layers = 0,3;
#             embeddings and the fine-tuned head copied
#   kd-lN     recipes/sequence-classification/minilm_distill-3layer_cpu.yaml: T=2, alpha=0.5 (hidden_mse 0)
#   hard-lN   the same student, the same recipe with distillation=null (cross-entropy on the labels only: the control)
# Then examples/s of teacher and students in one process (bench classifier-speed, 1,225 test passages, batch 64; the
# students' shrunk folders, as speed depends on the architecture, not the trained weights),
# and the table: python3 bench/distillation/summarize.py. SEEDS="1 2 3" and VARIANTS="kd-l3 hard-l3 kd-l2 hard-l2" select.
source "$(dirname "$0")/../lib/sweep.sh"
bench=bench/TuneSharp.Bench/bin/Release/net10.0/TuneSharp.Bench
recipe=recipes/sequence-classification/minilm_distill-3layer_cpu.yaml
declare -A layers=([l3]="0,2,4" [l2]="0,3")
# The seed's teacher (trained once) and its shrunk student of the variant's depth, then the student's run.
run_one() {
  local variant=$1 seed=$2 depth=${1#*-} extra="" teacher=runs/distill-teacher-seed$2
  if [ ! -f "$teacher/model/model.safetensors" ]; then
    "$tunesharp" train recipes/quickstart.yaml seed=$seed output_dir=../$teacher | grep '^test:' | sed "s/^/teacher seed $seed: /" >&2
  fi
  "$tunesharp" models shrink --model "$teacher/model" --layers "${layers[$depth]}" --out "runs/distill-students/seed$seed-$depth" >/dev/null
  [ "${variant%%-*}" = hard ] && extra="distillation=null"
  # shellcheck disable=SC2086  # the override is a word on purpose
  "$tunesharp" train "$recipe" model=../../runs/distill-students/seed$seed-$depth distillation.teacher=../../$teacher/model \
    seed=$seed output_dir=../../runs/distill-$variant-seed$seed $extra | grep '^test:'
}
sweep "kd-l3 hard-l3 kd-l2 hard-l2" run_one
if [ -z "${SKIP_SPEED:-}" ]; then
  for depth in l3 l2; do  # speed depends on the architecture alone: seed 1's students, trained or not
    "$tunesharp" models shrink --model runs/distill-teacher-seed1/model --layers "${layers[$depth]}" --out "runs/distill-students/seed1-$depth" >/dev/null
  done
  "$bench" classifier-speed --models runs/distill-teacher-seed1/model,runs/distill-students/seed1-l3,runs/distill-students/seed1-l2 --rounds 5
fi
python3 bench/distillation/summarize.py
