// Flags, TOML keys, defaults and the loopback rule of API.md §3.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  ConfigError,
  parseConfigFile,
  parseDaemonFlags,
  resolveDaemonConfig,
  type PathEnvironment,
} from '../../src/index.js'

let root: string
let environment: PathEnvironment

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'x0xd-config-'))
  environment = {
    env: {
      HOME: join(root, 'home'),
      XDG_DATA_HOME: join(root, 'data'),
      XDG_CONFIG_HOME: join(root, 'config'),
    },
    platform: 'linux',
  }
})
afterEach(async () => {
  await rm(root, { recursive: true, force: true })
})

async function resolveWith(toml: string, argv: string[] = []) {
  const path = join(root, 'config.toml')
  await writeFile(path, toml)
  return resolveDaemonConfig(parseDaemonFlags(['--config', path, ...argv]), environment)
}

describe('flags', () => {
  it('parses values, switches and commands', () => {
    const flags = parseDaemonFlags([
      '--name',
      'alice-2',
      '--api-port',
      '13000',
      '--no-hard-coded-bootstrap',
      '--check',
    ])
    expect(flags).toMatchObject({
      instanceName: 'alice-2',
      apiPort: 13_000,
      noBootstrap: true,
      command: 'check',
    })
    expect(parseDaemonFlags(['-V']).command).toBe('version')
    expect(parseDaemonFlags(['doctor']).command).toBe('doctor')
    expect(parseDaemonFlags(['--list']).command).toBe('list')
  })

  it('refuses invalid instance names and ports', () => {
    for (const name of ['-alice', 'a b', 'x'.repeat(65), 'ali_ce']) {
      expect(() => parseDaemonFlags(['--name', name])).toThrow(/--name/)
    }
    expect(parseDaemonFlags(['--name', 'x'.repeat(64)]).instanceName).toHaveLength(64)
    expect(() => parseDaemonFlags(['--api-port', '70000'])).toThrow(/--api-port/)
    expect(() => parseDaemonFlags(['--config'])).toThrow(/needs a value/)
  })

  it('warns about unknown flags and the legacy --no-bootstrap but keeps going', () => {
    const flags = parseDaemonFlags(['--frobnicate', '--no-bootstrap'])
    expect(flags.command).toBe('run')
    expect(flags.noBootstrap).toBe(true)
    expect(flags.warnings).toEqual([
      'x0xd: ignoring unknown argument "--frobnicate"',
      'x0xd: --no-bootstrap is deprecated; use --no-hard-coded-bootstrap',
    ])
  })
})

describe('TOML keys', () => {
  it('reads every kind of key, including the [gossip] and [update] tables', async () => {
    const { config, warnings } = await resolveWith(
      [
        'bind_address = "0.0.0.0:6000"',
        'api_address = "127.0.0.1:13001"',
        'data_dir = "/tmp/x0x-data"',
        'log_level = "debug"',
        'log_format = "json"',
        'bootstrap_peers = ["10.0.0.1:5483", "[2001:db8::1]:5483"]',
        'heartbeat_interval_secs = 30',
        'rendezvous_enabled = false',
        'presence_beacon_interval_secs = 5',
        'surprise = 1',
        '[gossip]',
        'active_view_size = 8',
        'arwl = 4',
        '[update]',
        'enabled = false',
      ].join('\n'),
    )
    expect(config).toMatchObject({
      bindAddress: '[::]:6000',
      apiAddress: '127.0.0.1:13001',
      dataDir: '/tmp/x0x-data',
      logLevel: 'debug',
      logFormat: 'json',
      bootstrapPeers: ['10.0.0.1:5483', '[2001:db8::1]:5483'],
      heartbeatIntervalSecs: 30,
      identityTtlSecs: 900,
      rendezvousEnabled: false,
      presenceBeaconIntervalSecs: 5,
      gossip: {
        activeViewSize: 8,
        passiveViewSize: 30,
        activeRandomWalkLength: 4,
        dispatchWorkers: 1,
      },
      update: { enabled: false, repo: 'saorsa-labs/x0x' },
    })
    expect(warnings).toEqual(['x0xd: ignoring unknown config key "surprise"'])
  })

  it('names the key of an invalid value', async () => {
    const cases: [string, RegExp][] = [
      ['api_address = "nope"', /^config key "api_address": expected "ip:port", got "nope"$/],
      [
        'heartbeat_interval_secs = "300"',
        /config key "heartbeat_interval_secs": expected an integer/,
      ],
      ['log_level = "loud"', /config key "log_level": expected one of trace, debug/],
      ['bootstrap_peers = ["1.2.3.4"]', /config key "bootstrap_peers\[0\]"/],
      [
        '[gossip]\ndispatch_workers = 33',
        /config key "gossip.dispatch_workers": expected an integer in 1..32, got 33/,
      ],
      ['[gossip]\nactive_view_size = 0', /config key "gossip.active_view_size"/],
      ['instance_name = "bad name"', /config key "instance_name"/],
    ]
    for (const [toml, message] of cases) {
      const error = await resolveWith(toml).catch((caught: unknown) => caught)
      expect(error).toBeInstanceOf(ConfigError)
      expect((error as Error).message).toMatch(message)
    }
  })

  it('reports broken TOML as a config error', () => {
    expect(() => parseConfigFile('api_address = ', 'x.toml')).toThrow(/invalid TOML in x.toml/)
  })
})

describe('api_address is loopback only', () => {
  it('rejects addresses other machines can reach', async () => {
    for (const address of [
      '0.0.0.0:12700',
      '192.168.1.10:12700',
      '[::]:12700',
      '[2001:db8::1]:1',
    ]) {
      await expect(resolveWith(`api_address = "${address}"`)).rejects.toThrow(
        /config key "api_address": expected a loopback address/,
      )
    }
  })

  it('accepts 127.0.0.0/8, ::1 and localhost', async () => {
    for (const address of ['127.0.0.2:1', '[::1]:1', 'localhost:1']) {
      expect((await resolveWith(`api_address = "${address}"`)).config.apiAddress).toBe(address)
    }
  })
})

describe('defaults', () => {
  it('uses x0x defaults, with no bootstrap peers', async () => {
    const { config } = await resolveDaemonConfig(parseDaemonFlags([]), environment)
    expect(config).toMatchObject({
      instanceName: undefined,
      configPath: undefined,
      bindAddress: '[::]:5483',
      apiAddress: '127.0.0.1:12700',
      dataDir: join(root, 'data', 'x0x'),
      identityDir: join(root, 'home', '.x0x'),
      bootstrapPeers: [],
    })
  })

  it('gives a named instance ephemeral ports and its own dirs, keeping explicit addresses', async () => {
    const named = await resolveDaemonConfig(parseDaemonFlags(['--name', 'alice']), environment)
    expect(named.config).toMatchObject({
      bindAddress: '[::]:0',
      apiAddress: '127.0.0.1:0',
      dataDir: join(root, 'data', 'x0x-alice'),
      identityDir: join(root, 'home', '.x0x-alice'),
    })
    const explicit = await resolveWith('api_address = "127.0.0.1:14000"\ninstance_name = "bob"')
    expect(explicit.config).toMatchObject({ apiAddress: '127.0.0.1:14000', bindAddress: '[::]:0' })
  })

  it('finds the instance config file under XDG_CONFIG_HOME', async () => {
    const directory = join(root, 'config', 'x0x-carol')
    await mkdir(directory, { recursive: true })
    await writeFile(join(directory, 'config.toml'), 'log_level = "warn"')
    const { config } = await resolveDaemonConfig(parseDaemonFlags(['--name', 'carol']), environment)
    expect(config.logLevel).toBe('warn')
    expect(config.configPath).toBe(join(directory, 'config.toml'))
  })

  it('applies --api-port after instance defaults and clears file peers with --no-hard-coded-bootstrap', async () => {
    const { config } = await resolveWith('bootstrap_peers = ["10.0.0.1:5483"]', [
      '--name',
      'dave',
      '--api-port',
      '15000',
      '--no-hard-coded-bootstrap',
    ])
    expect(config.apiAddress).toBe('127.0.0.1:15000')
    expect(config.bootstrapPeers).toEqual([])
  })

  it('fails when the --config file does not exist', async () => {
    const flags = parseDaemonFlags(['--config', join(root, 'missing.toml')])
    await expect(resolveDaemonConfig(flags, environment)).rejects.toThrow(/cannot read config file/)
  })
})
