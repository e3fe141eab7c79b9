import { getCountry } from "countries-and-timezones";
import { parsePhoneNumberFromString } from "libphonenumber-js/min";
import metadata from "libphonenumber-js/min/metadata";

/**
 * Where a country spans several timezones, the one most of its people live in. A user
 * elsewhere in the country texts "tz ..." once; a guess by area code would need data no
 * small library keeps up to date.
 */
const MOST_POPULOUS_ZONE: Readonly<Record<string, string>> = {
  AR: "America/Argentina/Buenos_Aires",
  AU: "Australia/Sydney",
  BR: "America/Sao_Paulo",
  CA: "America/Toronto",
  CD: "Africa/Kinshasa",
  CL: "America/Santiago",
  CN: "Asia/Shanghai",
  CY: "Asia/Nicosia",
  DE: "Europe/Berlin",
  EC: "America/Guayaquil",
  ES: "Europe/Madrid",
  FM: "Pacific/Pohnpei",
  GL: "America/Nuuk",
  ID: "Asia/Jakarta",
  KI: "Pacific/Tarawa",
  KZ: "Asia/Almaty",
  MH: "Pacific/Majuro",
  MN: "Asia/Ulaanbaatar",
  MX: "America/Mexico_City",
  MY: "Asia/Kuala_Lumpur",
  NZ: "Pacific/Auckland",
  PF: "Pacific/Tahiti",
  PG: "Pacific/Port_Moresby",
  PS: "Asia/Hebron",
  PT: "Europe/Lisbon",
  RU: "Europe/Moscow",
  UA: "Europe/Kyiv",
  US: "America/New_York",
  UZ: "Asia/Tashkent",
  VN: "Asia/Ho_Chi_Minh",
};

/** When nothing better is known. */
export const FALLBACK_TIMEZONE = "UTC";

function isKnownTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The country of an E.164 number. A number outside every assigned range (the +1 555 numbers
 * of films and tests, say) still has a calling code; it counts for that code's main country.
 */
export function countryOfPhoneNumber(phoneNumber: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phoneNumber);
  if (!parsed) return undefined;
  return parsed.country ?? metadata.country_calling_codes[parsed.countryCallingCode]?.[0];
}

/** The timezone a user gets until they set one: their phone number's country's. */
export function timezoneOfPhoneNumber(phoneNumber: string): string {
  const country = countryOfPhoneNumber(phoneNumber);
  if (country === undefined) return FALLBACK_TIMEZONE;
  const zone = MOST_POPULOUS_ZONE[country] ?? getCountry(country)?.timezones[0];
  return zone !== undefined && isKnownTimezone(zone) ? zone : FALLBACK_TIMEZONE;
}
