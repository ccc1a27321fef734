import { describe, expect, it } from 'vitest'
import { graphShape } from '../src/testing/graph-shape.js'

/** Adjacency lists of the undirected graph with `links`. */
function graph(size: number, links: readonly (readonly [number, number])[]): number[][] {
  const adjacency = Array.from({ length: size }, (): number[] => [])
  for (const [left, right] of links) {
    adjacency[left]?.push(right)
    adjacency[right]?.push(left)
  }
  return adjacency
}

describe('graphShape', () => {
  it('gives a path its radius, diameter and every eccentricity', () => {
    const shape = graphShape(
      graph(5, [
        [0, 1],
        [1, 2],
        [2, 3],
        [3, 4],
      ]),
    )
    expect([...shape.eccentricities]).toEqual([4, 3, 2, 3, 4])
    expect(shape).toMatchObject({ nodes: 5, radius: 2, diameter: 4, medianEccentricity: 3 })
  })

  it('gives a cycle the same eccentricity everywhere', () => {
    const links = Array.from({ length: 7 }, (_, index) => [index, (index + 1) % 7] as const)
    const shape = graphShape(graph(7, links))
    expect(shape.radius).toBe(3)
    expect(shape.diameter).toBe(3)
  })

  it('reports a star centred on its hub', () => {
    const shape = graphShape(
      graph(5, [
        [0, 1],
        [0, 2],
        [0, 3],
        [0, 4],
      ]),
    )
    expect(shape.eccentricities[0]).toBe(1)
    expect(shape).toMatchObject({ radius: 1, diameter: 2 })
  })

  it('marks a disconnected graph with -1', () => {
    const shape = graphShape(
      graph(4, [
        [0, 1],
        [2, 3],
      ]),
    )
    expect(shape).toMatchObject({ radius: -1, diameter: -1, medianEccentricity: -1 })
    expect([...shape.eccentricities]).toEqual([-1, -1, -1, -1])
  })

  it('takes one node as radius and diameter 0, and no node as disconnected', () => {
    expect(graphShape([[]])).toMatchObject({ radius: 0, diameter: 0 })
    expect(graphShape([]).diameter).toBe(-1)
  })
})
