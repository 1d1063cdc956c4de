import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { IceleakError } from '../core/errors.js';
import { runCommand } from '../process/index.js';
import { namespaceName, newLabId } from './plan.js';

function onPath(command: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(delimiter).concat(['/usr/sbin', '/sbin'])) {
    try {
      accessSync(join(dir, command), constants.X_OK);
      return true;
    } catch {
      // keep looking
    }
  }
  return false;
}

let verified: Promise<void> | undefined;

/**
 * Checks that this process can build labs: root, `ip`, `nft`, and a namespace can really be
 * made. Each failure is an IceleakError carrying the exact remedy. The probe runs once per process.
 */
export function checkLabPrerequisites(): Promise<void> {
  verified ??= probe().catch((error: unknown) => {
    verified = undefined;
    throw error;
  });
  return verified;
}

async function probe(): Promise<void> {
  if (process.platform !== 'linux') {
    throw new IceleakError(
      'E_LAB_PLATFORM',
      'lab/prerequisites',
      'the lab needs Linux network namespaces; use --no-lab elsewhere',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new IceleakError(
      'E_LAB_NOT_ROOT',
      'lab/prerequisites',
      'the lab needs root (CAP_NET_ADMIN + CAP_SYS_ADMIN to create network namespaces, veth pairs and nft rules): ' +
        'run it with sudo, or inside a container started with --cap-add NET_ADMIN --cap-add SYS_ADMIN; ' +
        'unprivileged user namespaces (sysctl kernel.unprivileged_userns_clone=1) are not enough because `ip netns` mounts under /run/netns',
    );
  }
  if (!onPath('ip')) {
    throw new IceleakError(
      'E_LAB_NO_IP',
      'lab/prerequisites',
      '`ip` (iproute2) not found: apt-get install -y iproute2',
    );
  }
  if (!onPath('nft')) {
    throw new IceleakError(
      'E_LAB_NO_NFT',
      'lab/prerequisites',
      '`nft` (nftables) not found: apt-get install -y nftables',
    );
  }
  const ns = namespaceName(newLabId(), 'probe');
  const made = await runCommand(['ip', 'netns', 'add', ns]);
  try {
    if (made.code !== 0) {
      throw new IceleakError(
        'E_LAB_NETNS_DENIED',
        'lab/prerequisites',
        `cannot create a network namespace (${made.stderr.trim()}): the kernel needs CONFIG_NET_NS and the process ` +
          'CAP_SYS_ADMIN; in a container run it with --privileged or --cap-add SYS_ADMIN --cap-add NET_ADMIN',
      );
    }
    const nat = await runCommand(['ip', 'netns', 'exec', ns, 'nft', '-f', '-'], {
      input:
        'table inet iceleak_probe {\n  chain p {\n    type nat hook postrouting priority srcnat; policy accept;\n    masquerade\n  }\n}\n',
    });
    if (nat.code !== 0) {
      throw new IceleakError(
        'E_LAB_NFT_DENIED',
        'lab/prerequisites',
        `nft NAT does not work inside a namespace (${nat.stderr.trim()}): load the nf_tables and nft_masq kernel modules (modprobe nft_masq)`,
      );
    }
  } finally {
    if (made.code === 0) await runCommand(['ip', 'netns', 'delete', ns]);
  }
}
