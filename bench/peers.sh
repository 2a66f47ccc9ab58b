#!/usr/bin/env bash
# Whole-process timings, side by side in one run: oewg-diff against git's word diff, wdiff,
# dwdiff and difftastic (where installed), on the real pair and on 10x and 100x copies.
# Installs what it can from Debian packages (hyperfine, wdiff, dwdiff; difftastic is not
# packaged in this Debian release and is used only if already on PATH), builds oewg-diff in
# release mode, and prints median times and the ratio of each peer to oewg-diff.
#   bash bench/peers.sh            # results on stdout; JSON in target/peers/
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
for t in hyperfine wdiff dwdiff; do command -v "$t" >/dev/null || need+=("$t"); done
if [ ${#need[@]} -gt 0 ] && command -v apt-get >/dev/null; then
  (apt-get install -y "${need[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null 2>&1 && apt-get install -y "${need[@]}" >/dev/null 2>&1; }) || true
fi
command -v hyperfine >/dev/null || { echo "hyperfine is needed (apt-get install hyperfine)"; exit 2; }
cargo build --release --quiet
bin=target/release/oewg-diff
out=target/peers
mkdir -p "$out"
# Inputs: the real pair, and 10 and 100 concatenated copies of each draft (as a long report).
for k in 10 100; do
  for d in zero rev2; do
    [ -s "$out/$d$k.md" ] || for _ in $(seq "$k"); do cat "drafts/$d.md"; echo; done > "$out/$d$k.md"
  done
done
run() { # name old new
  local name=$1 old=$2 new=$3
  local cmds=(-n oewg-diff "$bin $old $new --format plain --no-pager"
              -n git-word-diff "git diff --no-index --word-diff $old $new")
  command -v wdiff >/dev/null && cmds+=(-n wdiff "wdiff $old $new")
  command -v dwdiff >/dev/null && cmds+=(-n dwdiff "dwdiff $old $new")
  command -v difft >/dev/null && cmds+=(-n difftastic "difft $old $new")
  hyperfine -N -i --warmup 3 --runs "${RUNS:-30}" --export-json "$out/$name.json" "${cmds[@]}" >/dev/null 2>&1
  python3 - "$out/$name.json" "$name" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
res = {r["command"]: r for r in d["results"]}
ours = res["oewg-diff"]["median"]
print(f"{sys.argv[2]}:")
for name, r in res.items():
    print(f"  {name:<14} median {r['median']*1000:8.2f} ms   {r['median']/ours:5.2f}x oewg-diff")
PY
}
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run real drafts/zero.md drafts/rev2.md
for k in 10 100; do
  [ -s "$out/zero$k.md" ] && run "x$k" "$out/zero$k.md" "$out/rev2$k.md"
done
