#!/usr/bin/env bash
# Installs the Node.js LTS pinned in .node-version into .ci/node (once) from the npm
# registry's node-linux-<arch> package, which ships the official binary, and prints
# its bin folder. Use: export PATH="$(bash scripts/lts-node.sh):$PATH"
set -euo pipefail
cd "$(dirname "$0")/.."
want="$(tr -d ' \n' < .node-version)"
dir="$PWD/.ci/node"
if [ "$("$dir/bin/node" --version 2>/dev/null)" != "v$want" ]; then
  case "$(uname -m)" in x86_64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; *) arch="$(uname -m)" ;; esac
  rm -rf "$dir" && mkdir -p "$dir"
  (cd "$dir" && npm pack --silent "node-linux-$arch@$want" >/dev/null && tar xzf "node-linux-$arch-$want.tgz" --strip-components=1 package/bin/node package/LICENSE && rm "node-linux-$arch-$want.tgz") >&2
fi
echo "$dir/bin"
