import { expect, it } from 'vitest'
import { createX0xClient, decodeJsonBody, encodeBase64, routes } from '../src/index.js'

// The example of the package doc comment and the README, kept compiling and true.
it('runs the package example', () => {
  const body = decodeJsonBody(routes.pubsub.publish.request, {
    contentType: 'application/json',
    body: '{"topic":"chat","payload":"aGk="}',
  })
  expect(body.topic).toBe('chat')

  const client = createX0xClient({ baseUrl: 'http://127.0.0.1:12700', token: 'a1b2…' })
  async function chat(signal: AbortSignal): Promise<void> {
    await client.publish({ topic: 'chat', payload: encodeBase64(new TextEncoder().encode('hi')) })
    for await (const { event, data } of client.events({ signal })) {
      if (event === 'message' && data.type === 'message') console.log(data.data.topic)
    }
  }
  expect(typeof chat).toBe('function')
})
