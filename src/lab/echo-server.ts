/**
 * The lab's echo server: run inside the internet namespace, it answers every HTTP request
 * and every UDP datagram with the source address it saw, so the self-check can prove what
 * a site on the internet would see. Prints one JSON line `{"httpPort":…,"udpPorts":{address:port}}` when ready.
 *
 * argv: the service addresses (one wildcard UDP socket per family; HTTP listens on `::`).
 */
import { createSocket } from 'node:dgram';
import { createServer } from 'node:http';
import { type AddressInfo, isIPv6 } from 'node:net';
import { pathToFileURL } from 'node:url';

/** An IPv4 peer on a dual-stack socket shows as ::ffff:a.b.c.d; the lab compares plain addresses. */
export function unmapIPv4(address: string): string {
  return address.toLowerCase().startsWith('::ffff:') && address.includes('.') ? address.slice(7) : address;
}

async function main(): Promise<void> {
  // `::` with ipv6Only off serves both families on one port (the namespace has IPv6 enabled).
  const http = createServer((request, response) => {
    const source = unmapIPv4(request.socket.remoteAddress ?? '');
    response.writeHead(200, { 'content-type': 'application/json', connection: 'close' });
    response.end(JSON.stringify({ source }));
  });
  await new Promise<void>((resolve) => http.listen({ host: '::', port: 0, ipv6Only: false }, resolve));
  // UDP sockets are bound to the wildcard address of each family, as a typical server is: the
  // lab must route their replies from the service address (see plan.ts), and this proves it.
  const udpPorts: Record<string, number> = {};
  const sockets = await Promise.all(
    process.argv.slice(2).map(async (address) => {
      const v6 = isIPv6(address);
      const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', ipv6Only: v6 });
      socket.on('message', (_message, peer) => {
        socket.send(JSON.stringify({ source: unmapIPv4(peer.address) }), peer.port, peer.address);
      });
      await new Promise<void>((resolve) => socket.bind({ address: v6 ? '::' : '0.0.0.0', port: 0 }, resolve));
      udpPorts[address] = socket.address().port;
      return socket;
    }),
  );
  const httpPort = (http.address() as AddressInfo).port;
  process.stdout.write(`${JSON.stringify({ httpPort, udpPorts })}\n`);
  const stop = () => {
    http.close();
    for (const socket of sockets) socket.close();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
