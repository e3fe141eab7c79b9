import { isIP } from "node:net";

/**
 * Which IP addresses media may be fetched from. Only globally routable unicast addresses
 * pass: a media URL (or a DNS answer for it) that points into the cluster, the host, a
 * cloud metadata service or a home network is refused before a socket is opened.
 */

export type AddressClass =
  | "public"
  | "unspecified"
  | "loopback"
  | "private"
  | "shared" // 100.64.0.0/10, carrier-grade NAT
  | "link-local"
  | "unique-local"
  | "multicast"
  | "reserved"
  | "invalid";

interface Range {
  bytes: number[];
  prefix: number;
  kind: AddressClass;
}

const v4 = (text: string, prefix: number, kind: AddressClass): Range => ({
  bytes: text.split(".").map(Number),
  prefix,
  kind,
});

const IPV4_RANGES: readonly Range[] = [
  v4("0.0.0.0", 8, "unspecified"),
  v4("10.0.0.0", 8, "private"),
  v4("100.64.0.0", 10, "shared"),
  v4("127.0.0.0", 8, "loopback"),
  v4("169.254.0.0", 16, "link-local"),
  v4("172.16.0.0", 12, "private"),
  v4("192.0.0.0", 24, "reserved"),
  v4("192.0.2.0", 24, "reserved"),
  v4("192.88.99.0", 24, "reserved"),
  v4("192.168.0.0", 16, "private"),
  v4("198.18.0.0", 15, "reserved"),
  v4("198.51.100.0", 24, "reserved"),
  v4("203.0.113.0", 24, "reserved"),
  v4("224.0.0.0", 4, "multicast"),
  v4("240.0.0.0", 4, "reserved"),
];

const v6 = (text: string, prefix: number, kind: AddressClass): Range => ({
  bytes: [...(parseIpv6(text) ?? [])],
  prefix,
  kind,
});

// IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96), 6to4 (2002::/16) and the old
// IPv4-compatible form carry an IPv4 address, which is judged by the IPv4 table instead.
const IPV6_RANGES: readonly Range[] = [
  v6("::1", 128, "loopback"),
  v6("::", 128, "unspecified"),
  v6("::", 96, "reserved"),
  v6("100::", 64, "reserved"),
  v6("2001::", 23, "reserved"),
  v6("2001:db8::", 32, "reserved"),
  v6("fc00::", 7, "unique-local"),
  v6("fe80::", 10, "link-local"),
  v6("fec0::", 10, "link-local"),
  v6("ff00::", 8, "multicast"),
];

function matches(bytes: readonly number[], range: Range): boolean {
  let bits = range.prefix;
  for (let index = 0; bits > 0; index += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((bytes[index] ?? 0) & mask) !== ((range.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyIpv4(bytes: readonly number[]): AddressClass {
  if (bytes.every((byte) => byte === 255)) return "reserved"; // limited broadcast
  return IPV4_RANGES.find((range) => matches(bytes, range))?.kind ?? "public";
}

/** The 16 bytes of an IPv6 address in any textual form (with "::" and a dotted IPv4 tail); undefined if invalid. */
export function parseIpv6(text: string): Uint8Array | undefined {
  const address = text.replace(/^\[|\]$/g, "").replace(/%.*$/, ""); // brackets, zone id
  if (isIP(address) !== 6) return undefined;
  let head = address;
  const tail: number[] = [];
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(address);
  if (dotted?.[1]) {
    const parts = dotted[1].split(".").map(Number);
    tail.push(((parts[0] ?? 0) << 8) | (parts[1] ?? 0), ((parts[2] ?? 0) << 8) | (parts[3] ?? 0));
    head = address.slice(0, -dotted[1].length);
    if (head.endsWith(":") && !head.endsWith("::")) head = head.slice(0, -1);
  }
  const [left = "", right] = head.split("::");
  const groups = (part: string) => (part === "" ? [] : part.split(":").map((group) => parseInt(group, 16)));
  const leftGroups = groups(left);
  const rightGroups = [...groups(right ?? ""), ...tail];
  const missing = 8 - leftGroups.length - rightGroups.length;
  const all =
    right === undefined ? [...leftGroups, ...tail] : [...leftGroups, ...new Array<number>(missing).fill(0), ...rightGroups];
  if (all.length !== 8) return undefined;
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = (group >> 8) & 0xff;
    bytes[index * 2 + 1] = group & 0xff;
  });
  return bytes;
}

/** What kind of address this is; a hostname (not an IP literal) is "invalid". */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, "");
  const family = isIP(bare.replace(/%.*$/, ""));
  if (family === 4) return classifyIpv4(bare.split(".").map(Number));
  if (family !== 6) return "invalid";
  const bytes = parseIpv6(bare);
  if (!bytes) return "invalid";
  const embedded = embeddedIpv4(bytes);
  if (embedded) return classifyIpv4(embedded);
  return IPV6_RANGES.find((range) => matches([...bytes], range))?.kind ?? "public";
}

function embeddedIpv4(bytes: Uint8Array): number[] | undefined {
  const isZero = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  const last4 = [...bytes.slice(12, 16)];
  // ::ffff:a.b.c.d
  if (isZero(0, 10) && bytes[10] === 0xff && bytes[11] === 0xff) return last4;
  // ::a.b.c.d (deprecated IPv4-compatible), but not :: and ::1 themselves
  if (isZero(0, 12) && !isZero(12, 15)) return last4;
  // 64:ff9b::a.b.c.d (NAT64 well-known prefix)
  if (bytes[0] === 0x00 && bytes[1] === 0x64 && bytes[2] === 0xff && bytes[3] === 0x9b && isZero(4, 12)) return last4;
  // 2002:a.b.c.d::/48 (6to4)
  if (bytes[0] === 0x20 && bytes[1] === 0x02) return [...bytes.slice(2, 6)];
  return undefined;
}

/**
 * Whether media may be fetched from this address. Loopback passes only when the
 * configured Twilio origin is itself a loopback address or "localhost" (a local stand-in);
 * nothing else that is not public ever passes.
 */
export function isAllowedMediaAddress(address: string, options: { allowLoopback: boolean }): boolean {
  const kind = classifyAddress(address);
  return kind === "public" || (kind === "loopback" && options.allowLoopback);
}

/** True for "localhost" and loopback literals: the only hosts whose loopback addresses may be used. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  return host === "localhost" || classifyAddress(host) === "loopback";
}
