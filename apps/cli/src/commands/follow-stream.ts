import type { CommandContext } from './command-context.js'

/**
 * Prints a server-sent event stream until the daemon closes it or Ctrl-C aborts the context's
 * signal. Ctrl-C is the normal way to leave a stream, so it ends with exit code 0.
 */
export async function followStream<Item>(
  context: CommandContext,
  stream: AsyncIterable<Item>,
  print: (item: Item) => void,
): Promise<number | undefined> {
  try {
    for await (const item of stream) print(item)
  } catch (error) {
    if (context.signal.aborted) return undefined
    throw error
  }
  if (!context.signal.aborted) context.output.note('the daemon closed the stream')
  return undefined
}

/** The UTC time of day of a Unix millisecond timestamp (`12:00:01.005`), for stream lines. */
export function clockTime(milliseconds: number): string {
  return new Date(milliseconds).toISOString().slice(11, 23)
}
