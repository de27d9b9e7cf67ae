#!/usr/bin/env bash
# docs/sandbox.1, the manual page, made from the binary's own help so that every flag is described once, there:
# swift-argument-parser's generate-manual reads the binary's --experimental-dump-help (it is the tool the
# package's `swift package generate-manual` plugin runs; the plugin would build everything again, without
# `make build`'s static flags). Left out: the copies of Docker's verbs under `container`, whose own line stays,
# and the internal `monitor`. The page keeps its date until its text changes.
#   usage: manual.sh GENERATE_MANUAL SANDBOX_BINARY PAGE [--check]
# With --check it changes nothing, and fails when PAGE is not what the binary's help makes (`make test`).
set -euo pipefail
[ $# -ge 3 ] || { echo "usage: $0 GENERATE_MANUAL SANDBOX_BINARY PAGE [--check]" >&2; exit 2; }
generate=$1 sandbox=$2 page=$3 check=${4:-}

# mdoc nests each command's options in a .Bl/.El list: `container` keeps its line and abstract but not its
# list, `monitor` goes whole.
render() {
    "$generate" "$sandbox" --date "$1" --output-directory - | awk '
        $0 == ".It Em monitor" { cut = 1; next }
        $0 == ".It Em container" { print; list = 1; next }
        (cut || list) && /^\.Bl/ { depth++ }
        (cut || list) && depth > 0 { if (/^\.El/ && --depth == 0) cut = list = 0; next }
        cut { next }
        { print }'
}

dated=$(date -d "$(sed -n 's/^\.Dd //p' "$page" 2>/dev/null)" +%F)
render "$dated" | cmp -s - "$page" && exit 0
if [ "$check" = --check ]; then
    echo "$page is not what the binary's help makes: run make man, and commit the page" >&2
    diff <(render "$dated") "$page" | head -20 >&2 || true
    exit 1
fi
render "$(date +%F)" > "$page"
