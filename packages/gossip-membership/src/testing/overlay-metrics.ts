/** One node's view, as the metrics see it. */
export interface OverlayNodeView {
  readonly id: string
  readonly alive: boolean
  /** Ids in the active view. */
  readonly active: Iterable<string>
  readonly passiveSize: number
}

/** Overlay health figures over the live nodes (HyParView §5 reports the same ones). */
export interface OverlayMetrics {
  readonly aliveNodes: number
  readonly activeViewMean: number
  readonly activeViewMin: number
  readonly activeViewMax: number
  readonly passiveViewMean: number
  /** Live nodes with no live neighbour. */
  readonly isolatedNodes: number
  /** Connected components of the live overlay (links taken in either direction). */
  readonly components: number
  /** Share of live nodes in the largest component. */
  readonly largestComponentFraction: number
  readonly connected: boolean
  /** Directed links between live nodes whose reverse link is missing. */
  readonly asymmetricLinks: number
  /** Links from live nodes to dead ones. */
  readonly deadLinks: number
  readonly inDegreeMin: number
  readonly inDegreeMax: number
  readonly inDegreeStandardDeviation: number
  /** Mean local clustering coefficient of the undirected live overlay. */
  readonly clusteringCoefficient: number
}

function clustering(adjacency: readonly Set<number>[]): number {
  let total = 0
  for (const neighbors of adjacency) {
    const list = [...neighbors]
    if (list.length < 2) continue
    let links = 0
    for (let first = 0; first < list.length; first++) {
      const firstNeighbors = adjacency[list[first] as number] as Set<number>
      for (let second = first + 1; second < list.length; second++) {
        if (firstNeighbors.has(list[second] as number)) links++
      }
    }
    total += (2 * links) / (list.length * (list.length - 1))
  }
  return adjacency.length === 0 ? 0 : total / adjacency.length
}

function componentSizes(adjacency: readonly Set<number>[]): number[] {
  const seen = new Uint8Array(adjacency.length)
  const sizes: number[] = []
  for (let start = 0; start < adjacency.length; start++) {
    if (seen[start] === 1) continue
    seen[start] = 1
    const stack = [start]
    let size = 0
    while (stack.length > 0) {
      const node = stack.pop() as number
      size++
      for (const next of adjacency[node] as Set<number>) {
        if (seen[next] === 0) {
          seen[next] = 1
          stack.push(next)
        }
      }
    }
    sizes.push(size)
  }
  return sizes
}

/** Computes overlay metrics over the live nodes of `views`; O(n·d²). */
export function computeOverlayMetrics(views: Iterable<OverlayNodeView>): OverlayMetrics {
  const alive = [...views].filter((view) => view.alive)
  const index = new Map(alive.map((view, position) => [view.id, position]))
  const adjacency = alive.map(() => new Set<number>())
  const directed = alive.map(() => new Set<number>())
  const inDegree = new Array<number>(alive.length).fill(0)
  let deadLinks = 0
  let activeSum = 0
  let activeMin = Number.POSITIVE_INFINITY
  let activeMax = 0
  let passiveSum = 0
  alive.forEach((view, position) => {
    let size = 0
    for (const id of view.active) {
      size++
      const other = index.get(id)
      if (other === undefined) {
        deadLinks++
        continue
      }
      directed[position]?.add(other)
      adjacency[position]?.add(other)
      adjacency[other]?.add(position)
      inDegree[other] = (inDegree[other] ?? 0) + 1
    }
    activeSum += size
    activeMin = Math.min(activeMin, size)
    activeMax = Math.max(activeMax, size)
    passiveSum += view.passiveSize
  })
  let asymmetricLinks = 0
  directed.forEach((targets, position) => {
    for (const target of targets) if (directed[target]?.has(position) !== true) asymmetricLinks++
  })
  const sizes = componentSizes(adjacency)
  const count = alive.length
  const inDegreeMean = count === 0 ? 0 : inDegree.reduce((sum, value) => sum + value, 0) / count
  const variance =
    count === 0 ? 0 : inDegree.reduce((sum, value) => sum + (value - inDegreeMean) ** 2, 0) / count
  return {
    aliveNodes: count,
    activeViewMean: count === 0 ? 0 : activeSum / count,
    activeViewMin: count === 0 ? 0 : activeMin,
    activeViewMax: activeMax,
    passiveViewMean: count === 0 ? 0 : passiveSum / count,
    isolatedNodes: adjacency.filter((neighbors) => neighbors.size === 0).length,
    components: sizes.length,
    largestComponentFraction: count === 0 ? 0 : Math.max(0, ...sizes) / count,
    connected: sizes.length <= 1,
    asymmetricLinks,
    deadLinks,
    inDegreeMin: count === 0 ? 0 : Math.min(...inDegree),
    inDegreeMax: count === 0 ? 0 : Math.max(...inDegree),
    inDegreeStandardDeviation: Math.sqrt(variance),
    clusteringCoefficient: clustering(adjacency),
  }
}
