import { isIP } from 'node:net';
import { IceleakError } from '../core/errors.js';
import type { Observation, Transport } from '../core/observation.js';
import { handleStunPacket, isValidSoftware } from './protocol.js';
import { SessionTable } from './sessions.js';
import { listenTcp, type TcpEndpoint } from './tcp.js';
import { bindUdp, type DatagramHandler, type UdpEndpoint } from './udp.js';

/** Where and how to run the STUN server + ICE-lite observer. */
export interface StunObserverOptions {
  /** IP literals (IPv4 or IPv6, no brackets) and ports; port 0 picks a free one. */
  listen: Array<{ address: string; port: number }>;
  /** Default both. */
  transports?: Array<'udp' | 'tcp'>;
  /** SOFTWARE attribute in responses; none by default. */
  software?: string;
  /** Bound on registered ICE sessions (default 10 000). */
  maxSessions?: number;
}

/** A running STUN server + ICE-lite observer. */
export interface StunObserver {
  /** Bound endpoints; port 0 in options resolves to a real port, the SAME number for UDP and TCP on one address. */
  readonly endpoints: ReadonlyArray<{ transport: 'udp' | 'tcp'; address: string; port: number }>;
  /** Calls `listener` for each observation; returns the function that stops it. */
  onObservation(listener: (o: Observation) => void): () => void;
  /** Our ICE credentials for one page session; checks using them are attributed to `sessionId`. */
  registerSession(s: { sessionId: string; ufrag: string; pwd: string; ttlMs?: number }): void;
  unregisterSession(ufrag: string): void;
  /** Closes every socket and connection. */
  close(): Promise<void>;
}

/** Attempts at finding a port free for both UDP and TCP when port 0 is asked for. */
const PORT_ATTEMPTS = 20;
/** How often expired sessions are dropped (they are also dropped when looked up). */
const SWEEP_INTERVAL_MS = 30_000;

type Endpoint = UdpEndpoint | TcpEndpoint;

function checkOptions(options: StunObserverOptions): void {
  const place = 'server/observer';
  if (options.listen.length === 0) throw new IceleakError('E_STUN_LISTEN', place, 'nothing to listen on');
  for (const { address, port } of options.listen) {
    if (isIP(address) === 0)
      throw new IceleakError('E_STUN_LISTEN', place, `not an IP address: ${JSON.stringify(address)}`);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new IceleakError('E_STUN_LISTEN', place, `port ${port} is not in 0-65535`);
    }
  }
  const transports = options.transports ?? ['udp', 'tcp'];
  if (transports.length === 0 || transports.some((t) => t !== 'udp' && t !== 'tcp')) {
    throw new IceleakError('E_STUN_LISTEN', place, 'transports must be udp and/or tcp');
  }
  if (options.software !== undefined && !isValidSoftware(options.software)) {
    throw new IceleakError('E_STUN_SOFTWARE', place, 'SOFTWARE must be under 763 bytes (RFC 8489 §14.14)');
  }
}

/**
 * Starts the STUN Binding server and ICE-lite observer (RFC 8489 §6.3, RFC 8445 §7.3) on
 * every listen address, UDP and TCP. Fails with E_STUN_LISTEN when an address cannot be bound,
 * after closing whatever was already bound.
 */
export async function startStunObserver(options: StunObserverOptions): Promise<StunObserver> {
  checkOptions(options);
  const transports = new Set<'udp' | 'tcp'>(options.transports ?? ['udp', 'tcp']);
  const sessions = new SessionTable(
    options.maxSessions === undefined ? {} : { maxSessions: options.maxSessions },
  );
  const listeners = new Set<(o: Observation) => void>();
  const software = options.software;

  const protocolOptions = software === undefined ? { sessions } : { sessions, software };
  const handlerFor =
    (transport: Transport): DatagramHandler =>
    (bytes, source, local) => {
      const actions = handleStunPacket({ bytes, transport, source, local, now: Date.now() }, protocolOptions);
      let response: Uint8Array | undefined;
      for (const action of actions) {
        if (action.type === 'send') response = action.bytes;
        else if (action.type === 'observe') {
          for (const listener of listeners) {
            // A listener's bug must not take the server down or starve other listeners.
            try {
              listener(action.observation);
            } catch {}
          }
        }
      }
      return response;
    };

  const opened: Array<{ transport: 'udp' | 'tcp'; endpoint: Endpoint }> = [];
  try {
    for (const { address, port } of options.listen) {
      opened.push(...(await bindBoth(address, port, transports, handlerFor)));
    }
  } catch (error) {
    await Promise.all(opened.map(({ endpoint }) => endpoint.close()));
    const reason = error instanceof Error ? error.message : String(error);
    throw new IceleakError(
      'E_STUN_LISTEN',
      'server/observer',
      `cannot listen: ${reason}`,
      {},
      { cause: error },
    );
  }

  const sweeper = setInterval(() => sessions.sweep(), SWEEP_INTERVAL_MS);
  sweeper.unref();
  let closing: Promise<void> | undefined;
  return {
    endpoints: opened.map(({ transport, endpoint }) => ({
      transport,
      address: endpoint.address,
      port: endpoint.port,
    })),
    onObservation(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    registerSession(s) {
      sessions.register(s);
    },
    unregisterSession(ufrag) {
      sessions.unregister(ufrag);
    },
    close() {
      closing ??= (async () => {
        clearInterval(sweeper);
        listeners.clear();
        await Promise.all(opened.map(({ endpoint }) => endpoint.close()));
      })();
      return closing;
    },
  };
}

// UDP first; with port 0 the TCP listener then takes the same number, and on a clash
// (another process holds that TCP port) both are released and another port is tried.
async function bindBoth(
  address: string,
  port: number,
  transports: Set<'udp' | 'tcp'>,
  handlerFor: (t: Transport) => DatagramHandler,
): Promise<Array<{ transport: 'udp' | 'tcp'; endpoint: Endpoint }>> {
  for (let attempt = 1; ; attempt++) {
    const udp = transports.has('udp') ? await bindUdp(address, port, handlerFor('udp')) : undefined;
    if (!transports.has('tcp')) return [{ transport: 'udp', endpoint: udp! }];
    try {
      const tcp = await listenTcp(address, udp?.port ?? port, handlerFor('tcp'));
      return [
        ...(udp ? [{ transport: 'udp' as const, endpoint: udp }] : []),
        { transport: 'tcp', endpoint: tcp },
      ];
    } catch (error) {
      await udp?.close();
      const inUse = (error as NodeJS.ErrnoException).code === 'EADDRINUSE';
      if (port !== 0 || !udp || !inUse || attempt >= PORT_ATTEMPTS) throw error;
    }
  }
}
