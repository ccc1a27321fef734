/**
 * Compiles a DEBUG-style pattern (`x0x:*`, `x0x:transport,-x0x:transport:frame`): names separated
 * by commas or spaces, `*` matching any run of characters, a leading `-` excluding. A namespace is
 * enabled when it matches an inclusion and no exclusion.
 */
export function namespaceFilter(pattern: string): (namespace: string) => boolean {
  const include: RegExp[] = []
  const exclude: RegExp[] = []
  for (const part of pattern.split(/[\s,]+/)) {
    if (part === '' || part === '-') continue
    const excluded = part.startsWith('-')
    const source = (excluded ? part.slice(1) : part)
      .replace(/[.+?^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
    ;(excluded ? exclude : include).push(new RegExp(`^${source}$`))
  }
  return (namespace) =>
    include.some((regex) => regex.test(namespace)) &&
    !exclude.some((regex) => regex.test(namespace))
}
