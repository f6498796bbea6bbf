// The address this host routes outwards from: Sylk's `server_ip` (a UDP connect to 1.2.3.4, no packet sent).
import { createSocket } from 'node:dgram';

export const FALLBACK_SERVER_IP = '127.0.0.1';

/**
 * Connecting a UDP socket only asks the kernel for a route, so nothing goes on the wire. Resolves the
 * fallback when there is no route (an offline host) instead of failing: the record is still worth sending.
 */
export function discoverServerIp(probe = '1.2.3.4'): Promise<string> {
  return new Promise((resolve) => {
    const socket = createSocket('udp4');
    const finish = (address: string) => {
      socket.removeAllListeners();
      socket.on('error', () => undefined);
      socket.close();
      resolve(address);
    };
    socket.once('error', () => finish(FALLBACK_SERVER_IP));
    try {
      socket.connect(1, probe, () => {
        let address = FALLBACK_SERVER_IP;
        try {
          address = socket.address().address;
        } catch {
          // Closed or unbound: keep the fallback.
        }
        finish(address === '0.0.0.0' ? FALLBACK_SERVER_IP : address);
      });
    } catch {
      finish(FALLBACK_SERVER_IP);
    }
  });
}
