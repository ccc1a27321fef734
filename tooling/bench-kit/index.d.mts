/** `value` rounded to `digits` decimals (default 0). */
export declare function round(value: number, digits?: number): number
/** The value at `fraction` (0–1) of the sorted values; NaN for none. */
export declare function percentile(values: readonly number[], fraction: number): number
/** The median, averaging the two middle values of an even count; NaN for none. */
export declare function median(values: readonly number[]): number
/** The machine a result was measured on. */
export declare function describeMachine(): {
  platform: string
  cpu: string
  cpus: number
  memory_mb: number
  load_average_1m: number
}
/** Writes `<results dir>/<name>.json` in the PERF.md format and returns its path. */
export declare function writeBenchResult(
  name: string,
  params: Record<string, unknown>,
  figures: Record<string, number>,
): string
