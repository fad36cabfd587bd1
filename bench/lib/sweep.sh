# Shared by the technique benchmarks (bench/*/compare.sh): source it from a script in bench/<name>/.
# It moves to the repository root, names the Release CLI, and runs a variants × seeds sweep.
#
#   source "$(dirname "$0")/../lib/sweep.sh"
#   run_one() { local variant=$1 seed=$2; "$tunesharp" train ... | grep '^test:'; }
#   sweep "full lora" run_one
#
# sweep DEFAULT_VARIANTS FUNCTION: for each seed of $SEEDS (default "1 2 3") and each variant of $VARIANTS (default
# DEFAULT_VARIANTS), calls FUNCTION VARIANT SEED and prints "VARIANT seed SEED: <what it printed> (N s)".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
tunesharp=${TUNESHARP:-src/TuneSharp.Cli/bin/Release/net10.0/tunesharp}  # TUNESHARP=path picks another build
[ -x "$tunesharp" ] || dotnet build -c Release src/TuneSharp.Cli > /dev/null

sweep() {
  local defaults=$1 run=$2 seed variant start line
  for seed in ${SEEDS:-1 2 3}; do
    for variant in ${VARIANTS:-$defaults}; do
      start=$(date +%s)
      line=$("$run" "$variant" "$seed")
      echo "$variant seed $seed: $line ($(( $(date +%s) - start )) s)"
    done
  done
}
