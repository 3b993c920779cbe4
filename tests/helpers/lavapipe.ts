import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../../src/node/model-files';

const DIR = join(PROJECT_ROOT, 'node_modules/.cache/lavapipe');

/**
 * The environment that makes Dawn in a child process find Mesa's lavapipe (Vulkan on the CPU, with shader-f16) and
 * nothing else, as scripts/ensure-lavapipe.sh left it (npm test runs that first).
 */
export function lavapipeEnv(): Record<string, string> {
  const icd = join(DIR, 'lvp_icd.json');
  if (!existsSync(icd)) throw new Error(`no lavapipe at ${DIR}: run scripts/ensure-lavapipe.sh (as root, on Debian 12)`);
  const lib = join(DIR, 'root/usr/lib/x86_64-linux-gnu');
  return { VK_ICD_FILENAMES: icd, VK_DRIVER_FILES: icd, LD_LIBRARY_PATH: [lib, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':') };
}
