import { getCountry } from "countries-and-timezones";
import { isKnownTimezone } from "@sms-todo/shared";
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

/**
 * Numbering areas libphonenumber-js knows and countries-and-timezones does not: Ascension and
 * Tristan da Cunha share St Helena's zone (tzdata lists them under SH), Kosovo keeps Belgrade's
 * time. Without them their users would get UTC, an hour off in Kosovo.
 */
const ZONE_OF_UNLISTED_COUNTRY: Readonly<Record<string, string>> = {
  AC: "Atlantic/St_Helena",
  TA: "Atlantic/St_Helena",
  XK: "Europe/Belgrade",
};

/** When nothing better is known. */
export const FALLBACK_TIMEZONE = "UTC";

/**
 * The country of an E.164 number. A number outside every assigned range (the +1 555 numbers
 * of films and tests, say) still has a calling code; it counts for that code's main country.
 */
export function countryOfPhoneNumber(phoneNumber: string): string | undefined {
  const parsed = parsePhoneNumberFromString(phoneNumber);
  if (!parsed) return undefined;
  return parsed.country ?? metadata.country_calling_codes[parsed.countryCallingCode]?.[0];
}

/**
 * The zone of a country (ISO 3166 alpha-2, or a numbering area such as AC), as this runtime's
 * time zone data knows it. A name the runtime lacks (older ICU data) falls through to the
 * country's other zones before UTC.
 */
export function timezoneOfCountry(country: string): string {
  const zones = [MOST_POPULOUS_ZONE[country], ZONE_OF_UNLISTED_COUNTRY[country], ...(getCountry(country)?.timezones ?? [])];
  return zones.find((zone) => zone !== undefined && isKnownTimezone(zone)) ?? FALLBACK_TIMEZONE;
}

/** The timezone a user gets until they set one: their phone number's country's. */
export function timezoneOfPhoneNumber(phoneNumber: string): string {
  const country = countryOfPhoneNumber(phoneNumber);
  return country === undefined ? FALLBACK_TIMEZONE : timezoneOfCountry(country);
}
