#!/usr/bin/env bash
# Adversarial fine-tuning on the quickstart task (MiniLM, 300 Brown genre passages, 3 epochs = 57 steps), seeds 1-3:
#   none     the quickstart recipe as is (the baseline)
#   fgm      adversarial.method=fgm     epsilon 2 (L2 per example over all its tokens): clean + adversarial loss
#   pgd      adversarial.method=pgd     epsilon 2, step 1, K=2 ascent steps from zero: clean + adversarial loss
#   freelb   adversarial.method=freelb  epsilon 2, step 1, K=2 steps from a uniform start, gradients averaged
#   smart    adversarial.method=smart   epsilon 2, step 1, K=1, lambda_s 1, mu 1, beta 0.99
# Each trained model is then scored on the test set as is (the train command's test line) and on copies written by
# `tunesharp data perturb` with seed 7: typos at 5 % and 10 % of letters, word drop 10 %; and under Gaussian noise of
# L2 norm 2 on every token's word embedding (`tunesharp eval --embedding-noise 2`).
# Prints one line per run; `bash bench/adversarial/compare.sh summary` prints mean ± std (n-1) per method from
# runs/adversarial/results.tsv. METHODS="none fgm" and SEEDS="1 2 3" select; a run whose results are already in the
# file is skipped.
source "$(dirname "$0")/../lib/sweep.sh"
recipe=recipes/quickstart.yaml
out=runs/adversarial
results=$out/results.tsv
noise=2
mkdir -p "$out/data"

if [[ "${1:-}" == "summary" ]]; then
  awk -F'\t' 'NR > 1 {
      k = $1; n[k]++; for (c = 3; c <= 7; c++) { s[k, c] += $c; q[k, c] += $c * $c }; t[k] += $8
      if (!(k in seen)) { seen[k] = 1; order[++m] = k }
    }
    END {
      printf "| method | runs | clean | typo 5%% | typo 10%% | word drop 10%% | embedding noise 2 | train s |\n|---|---:|---:|---:|---:|---:|---:|---:|\n"
      for (i = 1; i <= m; i++) {
        k = order[i]; printf "| %s | %d", k, n[k]
        for (c = 3; c <= 7; c++) {
          mean = s[k, c] / n[k]; sd = n[k] > 1 ? sqrt((q[k, c] - n[k] * mean * mean) / (n[k] - 1)) : 0
          if (sd < 0) sd = 0
          if (n[k] > 1) printf " | %.3f ± %.3f", mean, sd; else printf " | %.3f (1 seed)", mean
        }
        printf " | %d |\n", t[k] / n[k]
      }
    }' "$results"
  exit 0
fi

test=data/brown-genre-passages/test.jsonl
declare -A perturb=(
  [typo5]="--typo-rate 0.05"
  [typo10]="--typo-rate 0.10"
  [worddrop10]="--word-drop 0.10"
)
for name in typo5 typo10 worddrop10; do
  # shellcheck disable=SC2086  # the options are words on purpose
  [[ -f $out/data/$name.jsonl ]] || "$tunesharp" data perturb --input $test --output $out/data/$name.jsonl --field text ${perturb[$name]} --seed 7
done

declare -A overrides=(
  [none]=""
  [fgm]="adversarial.method=fgm adversarial.epsilon=2"
  [pgd]="adversarial.method=pgd adversarial.epsilon=2 adversarial.step_size=1 adversarial.steps=2"
  [freelb]="adversarial.method=freelb adversarial.epsilon=2 adversarial.step_size=1 adversarial.steps=2"
  [smart]="adversarial.method=smart adversarial.epsilon=2 adversarial.step_size=1 adversarial.steps=1"
)
[[ -f $results ]] || printf 'method\tseed\tclean\ttypo5\ttypo10\tworddrop10\tnoise\ttrain_s\n' > "$results"

accuracy() { grep -o '"accuracy":[0-9.eE-]*' | head -1 | cut -d: -f2; }

# One method at one seed: train, score the clean and perturbed test sets, append the row (skipped when already there).
run_one() {
  local method=$1 seed=$2 run=$out/$1-seed$2 start clean train_s name
  if awk -F'\t' -v m="$method" -v s="$seed" '$1 == m && $2 == s { found = 1 } END { exit !found }' "$results"; then
    echo "already in $results"; return
  fi
  start=$(date +%s)
  # shellcheck disable=SC2086
  clean=$("$tunesharp" train "$recipe" ${overrides[$method]} seed=$seed output_dir=../$run | grep '^test:' | grep -o 'accuracy [0-9.]*' | cut -d' ' -f2)
  train_s=$(( $(date +%s) - start ))
  local row=("$method" "$seed" "$clean")
  for name in typo5 typo10 worddrop10; do
    row+=("$("$tunesharp" eval "$recipe" data.test=../$out/data/$name.jsonl seed=$seed --model $run/model --split test --json | accuracy)")
  done
  row+=("$("$tunesharp" eval "$recipe" seed=$seed --model $run/model --split test --embedding-noise $noise --json | accuracy)")
  row+=("$train_s")
  (IFS=$'\t'; echo "${row[*]}") >> "$results"
  echo "clean ${row[2]} | typo5 ${row[3]} | typo10 ${row[4]} | word drop 10% ${row[5]} | noise $noise ${row[6]} (train ${train_s} s)"
}
VARIANTS=${METHODS:-${VARIANTS:-}} sweep "none fgm freelb smart pgd" run_one
