// One vitest run over every package and app: each directory with a `test/` folder is a project.
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { defineConfig } from 'vitest/config'

const roots = ['packages', 'apps'].flatMap((group) =>
  existsSync(group)
    ? readdirSync(group)
        .map((name) => join(group, name))
        .filter((dir) => existsSync(join(dir, 'test')))
    : [],
)

export default defineConfig({
  test: {
    projects: ['tooling', ...roots].map((root) => ({
      test: {
        name: root.split('/').pop() ?? root,
        root,
        include: ['test/**/*.test.ts'],
        testTimeout: 30_000,
        hookTimeout: 30_000,
      },
    })),
  },
})
