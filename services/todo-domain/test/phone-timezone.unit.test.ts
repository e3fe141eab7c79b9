import { getCountries, getExampleNumber } from "libphonenumber-js/min";
import examples from "libphonenumber-js/mobile/examples";
import { describe, expect, it } from "vitest";
import {
  countryOfPhoneNumber,
  FALLBACK_TIMEZONE,
  timezoneOfCountry,
  timezoneOfPhoneNumber,
} from "../src/users/phone-timezone.js";

function isAcceptedByIntl(zone: string): boolean {
  try {
    new Intl.DateTimeFormat("en", { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

describe("timezoneOfPhoneNumber", () => {
  const examplesByNumber: Array<[string, string, string]> = [
    ["+12125550123", "US", "America/New_York"],
    ["+14165550123", "CA", "America/Toronto"],
    ["+18765550123", "JM", "America/Jamaica"],
    ["+4930123456", "DE", "Europe/Berlin"],
    ["+442071234567", "GB", "Europe/London"],
    ["+61212345678", "AU", "Australia/Sydney"],
    ["+919876543210", "IN", "Asia/Kolkata"],
    ["+5511987654321", "BR", "America/Sao_Paulo"],
    ["+74951234567", "RU", "Europe/Moscow"],
    ["+77011234567", "KZ", "Asia/Almaty"],
    ["+33123456789", "FR", "Europe/Paris"],
    ["+38343201234", "XK", "Europe/Belgrade"],
  ];

  for (const [phoneNumber, country, zone] of examplesByNumber) {
    it(`when the number is ${phoneNumber}, then the country is ${country} and the zone ${zone}`, () => {
      expect(countryOfPhoneNumber(phoneNumber)).toBe(country);
      expect(timezoneOfPhoneNumber(phoneNumber)).toBe(zone);
    });
  }

  it("when a +1 555 number is fictional, then it counts for the calling code's main country, the US", () => {
    expect(countryOfPhoneNumber("+15551234567")).toBe("US");
    expect(timezoneOfPhoneNumber("+15551234567")).toBe("America/New_York");
  });

  it("when a +7 number is in no assigned range, then it counts for Russia", () => {
    expect(countryOfPhoneNumber("+70000000000")).toBe("RU");
    expect(timezoneOfPhoneNumber("+70000000000")).toBe("Europe/Moscow");
  });

  it("when the number is garbage, unknown or non-geographic, then the zone is UTC", () => {
    for (const phoneNumber of ["garbage", "", "+", "12125550123", "+999123456", "+80012345678"]) {
      expect([phoneNumber, timezoneOfPhoneNumber(phoneNumber)]).toEqual([phoneNumber, FALLBACK_TIMEZONE]);
    }
    expect(FALLBACK_TIMEZONE).toBe("UTC");
  });
});

describe("timezoneOfCountry", () => {
  const countries = getCountries();

  it("when libphonenumber-js is asked for its countries, then there are more than 200 of them", () => {
    expect(countries.length).toBeGreaterThan(200);
  });

  it("when any country libphonenumber-js knows is looked up, then its zone is accepted by Intl.DateTimeFormat", () => {
    const rejected = countries
      .map((country) => [country, timezoneOfCountry(country)])
      .filter(([, zone]) => !isAcceptedByIntl(zone!));
    expect(rejected).toEqual([]);
  });

  it("when any country libphonenumber-js knows is looked up, then it gets a zone of its own, not the UTC fallback", () => {
    expect(countries.filter((country) => timezoneOfCountry(country) === FALLBACK_TIMEZONE)).toEqual([]);
  });

  it("when a country spans several zones, then it gets the one most of its people live in", () => {
    const chosen = Object.fromEntries(
      ["US", "CA", "MX", "BR", "AU", "RU", "CN", "ID", "ES", "PT"].map((c) => [c, timezoneOfCountry(c)]),
    );
    expect(chosen).toEqual({
      US: "America/New_York",
      CA: "America/Toronto",
      MX: "America/Mexico_City",
      BR: "America/Sao_Paulo",
      AU: "Australia/Sydney",
      RU: "Europe/Moscow",
      CN: "Asia/Shanghai",
      ID: "Asia/Jakarta",
      ES: "Europe/Madrid",
      PT: "Europe/Lisbon",
    });
  });

  it("when each country's example mobile number is looked up, then its zone is accepted by Intl.DateTimeFormat and is not UTC", () => {
    const wrong = countries.flatMap((country) => {
      const example = getExampleNumber(country, examples);
      if (example === undefined) return [[country, "no example number"]];
      const zone = timezoneOfPhoneNumber(example.number);
      return isAcceptedByIntl(zone) && zone !== FALLBACK_TIMEZONE ? [] : [[country, example.number, zone]];
    });
    expect(wrong).toEqual([]);
  });
});
