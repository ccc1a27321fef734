// Shape figures of an undirected graph given as adjacency lists of node indices: the
// eccentricity of every node (the most hops from it to any other, by breadth-first search from
// each node), hence the radius and the diameter. The B3 benchmark applies it to the membership
// overlay and to a topic's Plumtree (its eager links): a message from node s reaches the last
// node after ecc(s) hops at best, so the overlay's eccentricities bound the LDH of any broadcast,
// and a spanning tree's diameter is the LDH of a sender at one of its ends. O(n · links): about
// 30 s for the 10,000-node overlay.

/** Radius, diameter and eccentricities of a graph; all -1 when it is not connected. */
export interface GraphShape {
  readonly nodes: number
  readonly radius: number
  readonly diameter: number
  readonly medianEccentricity: number
  /** The eccentricity of each node, by index. */
  readonly eccentricities: Int32Array
}

/**
 * The shape of the graph with `adjacency[i]` the neighbours of node `i` (each link listed at
 * both ends; a one-sided link is taken as given, so pass symmetric lists for an undirected graph).
 */
export function graphShape(adjacency: readonly (readonly number[])[]): GraphShape {
  const size = adjacency.length
  const eccentricities = new Int32Array(size)
  const distance = new Int32Array(size)
  const queue = new Int32Array(size)
  let connected = size > 0
  for (let source = 0; source < size && connected; source++) {
    distance.fill(-1)
    distance[source] = 0
    queue[0] = source
    let head = 0
    let tail = 1
    let farthest = 0
    while (head < tail) {
      const node = queue[head++] ?? 0
      const next = (distance[node] ?? 0) + 1
      for (const neighbour of adjacency[node] ?? []) {
        if (distance[neighbour] !== -1) continue
        distance[neighbour] = next
        farthest = next
        queue[tail++] = neighbour
      }
    }
    connected = tail === size
    eccentricities[source] = farthest
  }
  if (!connected) {
    eccentricities.fill(-1)
    return { nodes: size, radius: -1, diameter: -1, medianEccentricity: -1, eccentricities }
  }
  const sorted = Int32Array.from(eccentricities).sort()
  return {
    nodes: size,
    radius: sorted[0] ?? 0,
    diameter: sorted[size - 1] ?? 0,
    medianEccentricity: sorted[size >> 1] ?? 0,
    eccentricities,
  }
}
