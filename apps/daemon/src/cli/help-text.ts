import { DAEMON_VERSION } from './daemon-version.js'

/** `x0xd --help`. */
export const HELP_TEXT = `x0xd ${DAEMON_VERSION}: the x0x agent daemon (post-quantum P2P network for AI agents)

Usage: x0xd [options]
       x0xd doctor

Options:
  --config <path>            TOML config (default: ~/.config/x0x[-<name>]/config.toml if present)
  --name <name>              named instance: own data dir, identity ~/.x0x-<name>, ephemeral ports
  --api-port <port>          replace the port of api_address
  --no-hard-coded-bootstrap  clear every bootstrap peer (legacy: --no-bootstrap)
  --exec-acl <path>          exec ACL file
  --check                    validate the configuration, print it and exit
  --doctor, doctor           check config, data dir, API and token file
  --list                     list local instances and whether they run
  --version, -V              print the version
  --help, -h                 print this help
`
