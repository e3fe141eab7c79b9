import { isIP } from "node:net";
import ipaddr from "ipaddr.js";

/**
 * Which IP addresses media may be fetched from. Only globally routable unicast addresses
 * pass: a media URL (or a DNS answer for it) that points into the cluster, the host, a
 * cloud metadata service or a home network is refused before a socket is opened.
 *
 * The special ranges are ipaddr.js's (IANA's special-purpose registries, kept up to date
 * there). An IPv6 address that carries an IPv4 address (IPv4-mapped, IPv4-translated,
 * NAT64's well-known prefix, 6to4, the old IPv4-compatible form) is judged by that IPv4
 * address; every other special range, the local-use NAT64 prefix included, is refused.
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

const IPV4_CLASSES: Readonly<Record<string, AddressClass>> = {
  unicast: "public",
  unspecified: "unspecified",
  loopback: "loopback",
  private: "private",
  carrierGradeNat: "shared",
  linkLocal: "link-local",
  multicast: "multicast",
};

const IPV6_CLASSES: Readonly<Record<string, AddressClass>> = {
  unicast: "public",
  unspecified: "unspecified",
  loopback: "loopback",
  uniqueLocal: "unique-local",
  linkLocal: "link-local",
  deprecatedSiteLocal: "link-local",
  multicast: "multicast",
};

function classifyIpv4(address: ipaddr.IPv4): AddressClass {
  return IPV4_CLASSES[address.range()] ?? "reserved";
}

/** The IPv4 address an IPv6 address carries by one of the translation schemes, if it does. */
function embeddedIpv4(address: ipaddr.IPv6): ipaddr.IPv4 | undefined {
  const bytes = address.toByteArray();
  const last4 = () => new ipaddr.IPv4(bytes.slice(12, 16));
  const zeros = (from: number, to: number) => bytes.slice(from, to).every((byte) => byte === 0);
  switch (address.range()) {
    case "ipv4Mapped": // ::ffff:a.b.c.d
    case "rfc6145": // ::ffff:0:a.b.c.d
      return last4();
    case "rfc6052": // 64:ff9b::a.b.c.d; the local-use 64:ff9b:1::/48 carries no address to judge
      return zeros(4, 12) ? last4() : undefined;
    case "6to4": // 2002:a.b.c.d::/48
      return new ipaddr.IPv4(bytes.slice(2, 6));
    default:
      // ::a.b.c.d, the deprecated IPv4-compatible form, but not :: and ::1 themselves
      return zeros(0, 12) && !zeros(12, 15) ? last4() : undefined;
  }
}

/** What kind of address this is; a hostname (not an IP literal) is "invalid". */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, "");
  // node:net decides what is an IP literal at all: ipaddr.js would also read "0x7f.1" or "127.1".
  const family = isIP(bare.replace(/%.*$/, ""));
  if (family === 0 || !ipaddr.isValid(bare)) return "invalid";
  const parsed = ipaddr.parse(bare);
  if (parsed.kind() === "ipv4") return classifyIpv4(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const embedded = embeddedIpv4(v6);
  if (embedded) return classifyIpv4(embedded);
  return IPV6_CLASSES[v6.range()] ?? "reserved";
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
