/** The STUN Binding server and ICE-lite observer: what `iceleak serve`, `iceleak stun` and the audit run. */
export { type StunObserver, type StunObserverOptions, startStunObserver } from './observer.js';
export {
  handleStunPacket,
  type IgnoreReason,
  type InboundPacket,
  MAX_RESPONSE_GROWTH,
  normalizeTransportAddress,
  type StunAction,
  type StunProtocolOptions,
} from './protocol.js';
export {
  DEFAULT_MAX_SESSIONS,
  DEFAULT_SESSION_TTL_MS,
  type IceSession,
  type SessionEntry,
  SessionTable,
} from './sessions.js';
