/**
 * What iceleak's own servers saw. These are the ground truth of a leak test: a page can
 * hide or fake what it reports, but not the source address of a packet that reached us.
 */

/** Transport a STUN message arrived on (RFC 8489 §6.2). */
export type Transport = 'udp' | 'tcp';

/** An IP address and port, as socket APIs report them (IPv6 without brackets). */
export interface TransportAddress {
  readonly address: string;
  readonly port: number;
  readonly family: 'IPv4' | 'IPv6';
}

/** A STUN Binding request answered by the STUN server (RFC 8489 §5). */
export interface StunBindingObservation {
  readonly kind: 'stun-binding';
  readonly transport: Transport;
  /** Where the request came from: the address a STUN server reflects back (srflx). */
  readonly source: TransportAddress;
  /** Our socket's address that received it. */
  readonly local: TransportAddress;
  /** Milliseconds since the Unix epoch. */
  readonly time: number;
  /** 96-bit transaction id, lower-case hex (24 characters). */
  readonly transactionId: string;
}

/** Why an ICE connectivity check could not be attributed to a session. */
export type UnattributedReason = 'unknown-ufrag' | 'bad-integrity' | 'missing-integrity' | 'bad-username';

/**
 * An ICE connectivity check (RFC 8445 §7.2) received by the ICE-lite observer.
 * `sessionId` is null when the check was not attributed (unknown ufrag or bad integrity);
 * such a check is never answered with a success response.
 */
export interface IceCheckObservation {
  readonly kind: 'ice-check';
  readonly transport: Transport;
  readonly source: TransportAddress;
  readonly local: TransportAddress;
  readonly time: number;
  readonly transactionId: string;
  readonly sessionId: string | null;
  readonly reason?: UnattributedReason;
  /** Our ufrag: the first part of USERNAME. */
  readonly localUfrag: string;
  /** The browser's ufrag: the second part of USERNAME. */
  readonly remoteUfrag: string;
  readonly useCandidate: boolean;
  /** PRIORITY attribute (RFC 8445 §7.1.1), or null when absent. */
  readonly priority: number | null;
  readonly role: 'controlling' | 'controlled' | 'unknown';
}

export type Observation = StunBindingObservation | IceCheckObservation;
