import { OkResponseSchema } from '../schemas/common.js'
import {
  AddContactRequestSchema,
  AddContactResponseSchema,
  AddMachineRequestSchema,
  AddMachineResponseSchema,
  ContactMachinesResponseSchema,
  ContactsResponseSchema,
  PinResponseSchema,
  RevocationsResponseSchema,
  RevokeContactRequestSchema,
  SetTrustRequestSchema,
  TrustEvaluateRequestSchema,
  TrustEvaluateResponseSchema,
  UnpinResponseSchema,
  UpdateContactRequestSchema,
} from '../schemas/contacts-websocket.js'
import { BAD_HEX_ID, UNAUTHORIZED, hexParam } from './route-parts.js'
import { defineRoute } from './route.js'

// API.md §1.8.

const agentParams = { agent_id: hexParam() }
const machineParams = { agent_id: hexParam(), machine_id: hexParam() }
const BAD_TRUST = { status: 400, description: 'invalid trust level: X (valid values: …)' }

function contactRoute<
  const Route extends Omit<Parameters<typeof defineRoute>[0], 'tag' | 'auth' | 'kind'>,
>(
  route: Route,
): Route & { readonly tag: 'contacts'; readonly auth: 'bearer'; readonly kind: 'json' } {
  return defineRoute({ ...route, tag: 'contacts', auth: 'bearer', kind: 'json' })
}

export const contactRoutes = {
  list: contactRoute({
    name: 'contacts.list',
    method: 'GET',
    path: '/contacts',
    summary: 'All contacts with their trust level',
    response: ContactsResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED],
  }),
  add: contactRoute({
    name: 'contacts.add',
    method: 'POST',
    path: '/contacts',
    summary: 'Add or update a contact',
    request: AddContactRequestSchema,
    response: AddContactResponseSchema,
    successStatus: 201,
    errors: [UNAUTHORIZED, BAD_HEX_ID, BAD_TRUST],
  }),
  setTrust: contactRoute({
    name: 'contacts.setTrust',
    method: 'POST',
    path: '/contacts/trust',
    summary: 'Set a contact’s trust level (creates the contact if absent)',
    request: SetTrustRequestSchema,
    response: OkResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID, BAD_TRUST],
  }),
  update: contactRoute({
    name: 'contacts.update',
    method: 'PATCH',
    path: '/contacts/:agent_id',
    summary: 'Change a contact’s trust level or identity type',
    params: agentParams,
    request: UpdateContactRequestSchema,
    response: OkResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID, BAD_TRUST],
  }),
  remove: contactRoute({
    name: 'contacts.remove',
    method: 'DELETE',
    path: '/contacts/:agent_id',
    summary: 'Remove a contact',
    params: agentParams,
    response: OkResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID, { status: 404, description: 'contact not found' }],
  }),
  revoke: contactRoute({
    name: 'contacts.revoke',
    method: 'POST',
    path: '/contacts/:agent_id/revoke',
    summary: 'Revoke an agent: its messages are dropped at ingest for good',
    params: agentParams,
    request: RevokeContactRequestSchema,
    response: OkResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
  revocations: contactRoute({
    name: 'contacts.revocations',
    method: 'GET',
    path: '/contacts/:agent_id/revocations',
    summary: 'All revocations (x0x ignores the agent id in the path)',
    params: agentParams,
    response: RevocationsResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
  machines: contactRoute({
    name: 'contacts.machines',
    method: 'GET',
    path: '/contacts/:agent_id/machines',
    summary: 'Machines recorded for a contact',
    params: agentParams,
    response: ContactMachinesResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
  addMachine: contactRoute({
    name: 'contacts.addMachine',
    method: 'POST',
    path: '/contacts/:agent_id/machines',
    summary: 'Record a machine for a contact (201 when new, 200 when it existed)',
    params: agentParams,
    request: AddMachineRequestSchema,
    response: AddMachineResponseSchema,
    successStatus: 201,
    errors: [
      UNAUTHORIZED,
      BAD_HEX_ID,
      { status: 400, description: 'machine_id must be a 64-character hex string' },
    ],
  }),
  removeMachine: contactRoute({
    name: 'contacts.removeMachine',
    method: 'DELETE',
    path: '/contacts/:agent_id/machines/:machine_id',
    summary: 'Forget a contact’s machine (empty 204)',
    params: machineParams,
    successStatus: 204,
    errors: [UNAUTHORIZED, BAD_HEX_ID, { status: 404, description: 'machine not found' }],
  }),
  pinMachine: contactRoute({
    name: 'contacts.pinMachine',
    method: 'POST',
    path: '/contacts/:agent_id/machines/:machine_id/pin',
    summary: 'Pin a contact to a machine',
    params: machineParams,
    response: PinResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
  unpinMachine: contactRoute({
    name: 'contacts.unpinMachine',
    method: 'DELETE',
    path: '/contacts/:agent_id/machines/:machine_id/pin',
    summary: 'Unpin a contact’s machine',
    params: machineParams,
    response: UnpinResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
  evaluate: defineRoute({
    name: 'trust.evaluate',
    method: 'POST',
    path: '/trust/evaluate',
    summary: 'How the trust table would judge an (agent, machine) pair',
    tag: 'trust',
    auth: 'bearer',
    kind: 'json',
    request: TrustEvaluateRequestSchema,
    response: TrustEvaluateResponseSchema,
    successStatus: 200,
    errors: [UNAUTHORIZED, BAD_HEX_ID],
  }),
} as const
