// What the node is made of, read from the machine: capacity and identity for
// the Node object, and the free resources behind the pressure conditions.
import fs from 'node:fs';
import os from 'node:os';

export interface MachineFacts {
  cpus: number;
  memoryBytes: number;
  ephemeralStorageBytes: number;
  machineID: string;
  systemUUID: string;
  bootID: string;
  kernelVersion: string;
  osImage: string;
  architecture: string;
}

export interface MachineUsage {
  memoryAvailableBytes: number;
  diskAvailableBytes: number;
  diskCapacityBytes: number;
  pidsInUse: number;
  pidMax: number;
}

const read = (file: string): string | undefined => {
  try {
    return fs.readFileSync(file, 'utf8').trim();
  } catch {
    return undefined;
  }
};

function meminfo(): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of (read('/proc/meminfo') ?? '').split('\n')) {
    const m = /^(\w+):\s+(\d+)\s*kB/.exec(line);
    if (m) out[m[1]!] = Number(m[2]) * 1024;
  }
  return out;
}

function osImage(): string {
  const m = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(read('/etc/os-release') ?? '');
  return m?.[1] ?? `${os.type()} ${os.release()}`;
}

function uuidFrom(id: string): string {
  const h = id.replace(/-/g, '').padEnd(32, '0');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export function goArch(arch = process.arch): string {
  return arch === 'x64' ? 'amd64' : arch === 'ia32' ? '386' : arch;
}

/** Capacity and identity; `storageDir` is where pods' writable data lives (ephemeral-storage). */
export function readMachineFacts(storageDir: string): MachineFacts {
  const fsStats = fs.statfsSync(storageDir);
  const machineID = read('/etc/machine-id') ?? read('/var/lib/dbus/machine-id') ?? '';
  return {
    cpus: os.availableParallelism(),
    memoryBytes: meminfo().MemTotal ?? os.totalmem(),
    ephemeralStorageBytes: fsStats.blocks * fsStats.bsize,
    machineID,
    systemUUID: read('/sys/class/dmi/id/product_uuid') ?? uuidFrom(machineID),
    bootID: read('/proc/sys/kernel/random/boot_id') ?? '',
    kernelVersion: os.release(),
    osImage: osImage(),
    architecture: goArch(),
  };
}

export function readMachineUsage(storageDir: string): MachineUsage {
  const mem = meminfo();
  const fsStats = fs.statfsSync(storageDir);
  let pids = 0;
  for (const e of fs.readdirSync('/proc')) if (/^\d+$/.test(e)) pids++;
  return {
    memoryAvailableBytes: mem.MemAvailable ?? os.freemem(),
    diskAvailableBytes: fsStats.bavail * fsStats.bsize,
    diskCapacityBytes: fsStats.blocks * fsStats.bsize,
    pidsInUse: pids,
    pidMax: Number(read('/proc/sys/kernel/pid_max') ?? 32768),
  };
}
