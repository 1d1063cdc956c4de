import { createSocket, type RemoteInfo } from 'node:dgram';
import { isIP } from 'node:net';
import type { TransportAddress } from '../core/observation.js';

/** Called for each message; returns the bytes to send back to its source, if any. */
export type DatagramHandler = (
  bytes: Uint8Array,
  source: TransportAddress,
  local: TransportAddress,
) => Uint8Array | undefined;

/** A bound UDP socket. */
export interface UdpEndpoint {
  readonly address: string;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Binds one UDP socket (RFC 8489 §6.2.1: one datagram, one message). An IPv6 socket is
 * IPv6-only, so `0.0.0.0` and `::` can share a port and each `--listen` means one family.
 * `local` is the bound address: Node has no IP_PKTINFO, so a wildcard socket cannot tell
 * which of the host's addresses a datagram was sent to.
 */
export function bindUdp(address: string, port: number, onDatagram: DatagramHandler): Promise<UdpEndpoint> {
  const family = isIP(address) === 6 ? 'IPv6' : 'IPv4';
  const socket = createSocket({
    type: family === 'IPv6' ? 'udp6' : 'udp4',
    ipv6Only: family === 'IPv6',
    // Replies go to the literal address a datagram came from. The default (dns.lookup)
    // would defer every send by a tick to "resolve" it; answering at once saves CPU per reply.
    lookup: (address, _options, callback) => callback(null, address, family === 'IPv6' ? 6 : 4),
  });
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ address, port, exclusive: true }, () => {
      socket.off('error', reject);
      // After binding, errors (ICMP unreachable surfacing on send, etc.) concern one peer,
      // not the server: never let them crash it.
      socket.on('error', () => {});
      const bound = socket.address();
      const local: TransportAddress = { address: bound.address, port: bound.port, family };
      socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
        const source: TransportAddress = {
          address: rinfo.address,
          port: rinfo.port,
          family: rinfo.family === 'IPv6' ? 'IPv6' : 'IPv4',
        };
        const response = onDatagram(msg, source, local);
        // No send callback: a failed send surfaces as an 'error' event, ignored above.
        if (response !== undefined) socket.send(response, rinfo.port, rinfo.address);
      });
      resolve({
        address: bound.address,
        port: bound.port,
        close: () => new Promise<void>((done) => socket.close(() => done())),
      });
    });
  });
}
