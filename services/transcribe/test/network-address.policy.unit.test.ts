import { describe, expect, it } from "vitest";
import {
  classifyAddress,
  isAllowedMediaAddress,
  isLoopbackHost,
  type AddressClass,
} from "../src/media/network-address.policy.js";

const TABLE: ReadonlyArray<[address: string, kind: AddressClass]> = [
  ["93.184.216.34", "public"],
  ["8.8.8.8", "public"],
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"],
  ["10.0.0.1", "private"],
  ["10.255.255.255", "private"],
  ["100.64.0.1", "shared"],
  ["100.127.255.254", "shared"],
  ["100.128.0.1", "public"],
  ["127.0.0.1", "loopback"],
  ["127.255.0.9", "loopback"],
  ["169.254.169.254", "link-local"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["172.32.0.1", "public"],
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"],
  ["192.168.1.1", "private"],
  ["198.18.0.1", "reserved"],
  ["198.51.100.7", "reserved"],
  ["203.0.113.9", "reserved"],
  ["224.0.0.251", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "reserved"],
  ["2606:2800:220:1:248:1893:25c8:1946", "public"],
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"],
  ["0:0:0:0:0:0:0:1", "loopback"],
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.1.2.3", "private"],
  ["::ffff:169.254.169.254", "link-local"],
  ["::ffff:8.8.8.8", "public"],
  ["::127.0.0.1", "loopback"],
  ["64:ff9b::a9fe:a9fe", "link-local"],
  ["64:ff9b::8.8.8.8", "public"],
  ["2002:c0a8:0101::1", "private"],
  ["fc00::1", "unique-local"],
  ["fd12:3456::1", "unique-local"],
  ["fe80::1", "link-local"],
  ["fe80::1%eth0", "link-local"],
  ["fec0::1", "link-local"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "reserved"],
  // An IPv4-translated address (RFC 6145) carries its IPv4 address too.
  ["::ffff:0:7f00:1", "loopback"],
  ["::ffff:0:a9fe:a9fe", "link-local"],
  ["::ffff:0:808:808", "public"],
  // The local-use NAT64 prefix (RFC 8215) is not globally routable.
  ["64:ff9b:1::a9fe:a9fe", "reserved"],
  ["64:ff9b:1:2::8.8.8.8", "reserved"],
  ["2001::1", "reserved"],
  ["100::1", "reserved"],
  ["3fff::1", "reserved"],
  ["5f00::1", "reserved"],
  ["192.175.48.1", "reserved"],
  ["localhost", "invalid"],
  ["api.twilio.com", "invalid"],
  ["999.1.1.1", "invalid"],
];

describe("network address policy", () => {
  it.each(TABLE)("when the address is %s, then it is %s", (address, kind) => {
    expect(classifyAddress(address)).toBe(kind);
  });

  it("when an address is public, then media may come from it; when it is not, then only loopback may, and only if allowed", () => {
    expect(isAllowedMediaAddress("93.184.216.34", { allowLoopback: false })).toBe(true);
    expect(isAllowedMediaAddress("127.0.0.1", { allowLoopback: false })).toBe(false);
    expect(isAllowedMediaAddress("127.0.0.1", { allowLoopback: true })).toBe(true);
    expect(isAllowedMediaAddress("::ffff:127.0.0.1", { allowLoopback: true })).toBe(true);
    for (const address of [
      "10.0.0.1",
      "169.254.169.254",
      "100.64.0.1",
      "fd00::1",
      "fe80::1",
      "0.0.0.0",
      "224.0.0.1",
      "localhost",
    ]) {
      expect(isAllowedMediaAddress(address, { allowLoopback: true })).toBe(false);
    }
  });

  it("when the configured host is localhost or a loopback literal, then it counts as a loopback host; a name does not", () => {
    expect(isLoopbackHost("localhost")).toBe(true);
    expect(isLoopbackHost("LOCALHOST.")).toBe(true);
    expect(isLoopbackHost("127.0.0.1")).toBe(true);
    expect(isLoopbackHost("[::1]")).toBe(true);
    expect(isLoopbackHost("api.twilio.com")).toBe(false);
    expect(isLoopbackHost("10.0.0.1")).toBe(false);
  });

  it.each(["0:0:0:0:0:ffff:7f00:1", "::ffff:127.0.0.1", "::FFFF:7F00:1", "0::ffff:7f00:0001", "[::ffff:127.0.0.1]"])(
    "when a loopback address is written as %s, then it is still loopback",
    (address) => {
      expect(classifyAddress(address)).toBe("loopback");
    },
  );

  it.each(["127.1", "0x7f.0.0.1", "2130706433", "017700000001", "not-an-address", ""])(
    "when %j is no IP literal in dotted or colon form, then it is invalid",
    (address) => {
      expect(classifyAddress(address)).toBe("invalid");
    },
  );
});
