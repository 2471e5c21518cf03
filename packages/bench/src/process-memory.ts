// Where one process's resident memory goes, from outside: /proc/<pid>/smaps sorted into the node binary
// and other files, WebAssembly memories, glibc malloc, and the rest (V8's heap and code, large
// ArrayBuffers); plus what the process itself reports on /metrics (`loket_process_memory_bytes`).
import { readFile } from 'node:fs/promises';

type Mapping = { start: bigint; end: bigint; perms: string; name: string; rssKb: number };

export type SmapsBreakdown = {
  /** Resident pages of mapped files: the node binary, shared libraries. */
  filesMb: number;
  /** Resident pages of WebAssembly memories (PGlite's heap, Prisma's query compiler). */
  wasmMemoryMb: number;
  /** glibc malloc: the brk heap and the per-thread arenas. */
  mallocMb: number;
  /** Every other anonymous mapping: V8's heap pages, compiled code, large ArrayBuffers, stacks. */
  otherMb: number;
};

export type ReportedMemory = {
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
};

const MIB = 1024n * 1024n;
const ARENA = 64n * MIB; // glibc's HEAP_MAX_SIZE on 64-bit: each thread arena is one 64 MiB reservation

async function mappings(pid: number): Promise<Mapping[]> {
  const found: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of (await readFile(`/proc/${pid}/smaps`, 'utf8')).split('\n')) {
    const header = /^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (header) {
      current = {
        start: BigInt(`0x${header[1]}`),
        end: BigInt(`0x${header[2]}`),
        perms: header[3] ?? '',
        name: (header[4] ?? '').trim(),
        rssKb: 0,
      };
      found.push(current);
    } else if (current && line.startsWith('Rss:')) {
      current.rssKb = Number(line.split(/\s+/)[1]);
    }
  }
  return found;
}

export async function smapsBreakdown(pid: number): Promise<SmapsBreakdown> {
  const all = await mappings(pid);
  const kb = { files: 0, wasm: 0, malloc: 0, other: 0 };
  all.forEach((m, index) => {
    const next = all[index + 1];
    const reservedAfter = next && next.start === m.end && next.perms.startsWith('---') && !next.name;
    if (m.name.startsWith('/')) kb.files += m.rssKb;
    else if (m.name === '[heap]') kb.malloc += m.rssKb;
    else if (m.name)
      kb.other += m.rssKb; // [stack], [vdso]…
    // A WebAssembly memory: its committed pages, then gigabytes reserved for growth and bounds checks.
    else if (reservedAfter && next.end - next.start >= 1024n * MIB) kb.wasm += m.rssKb;
    // A malloc arena: 64 MiB aligned, its used part followed by the rest of its reservation.
    else if (
      m.start % ARENA === 0n &&
      (m.end - m.start === ARENA || (reservedAfter && next.end - m.start === ARENA))
    )
      kb.malloc += m.rssKb;
    else kb.other += m.rssKb;
  });
  return {
    filesMb: kb.files / 1024,
    wasmMemoryMb: kb.wasm / 1024,
    mallocMb: kb.malloc / 1024,
    otherMb: kb.other / 1024,
  };
}

/** `loket_process_memory_bytes` from Loket's /metrics. */
export async function reportedMemory(baseUrl: string, metricsToken: string): Promise<ReportedMemory> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${metricsToken}` },
  });
  if (!response.ok) throw new Error(`GET /metrics: ${response.status}`);
  const text = await response.text();
  const kind = (name: string) => {
    const match = new RegExp(`^loket_process_memory_bytes\\{kind="${name}"\\} (\\S+)$`, 'm').exec(text);
    return Number(match?.[1] ?? Number.NaN) / 1024 / 1024;
  };
  return {
    heapUsedMb: kind('heap_used'),
    heapTotalMb: kind('heap_total'),
    externalMb: kind('external'),
    arrayBuffersMb: kind('array_buffers'),
  };
}
