import pino from "pino";

/**
 * Structured logs. Personal data never goes in: the redaction below is the last line of defence,
 * callers log ids and counts, never identity numbers, phones or addresses.
 */
export const redactedPaths = [
  "*.idNumber", "*.mobile", "*.phone", "*.fax", "*.dateOfBirth", "*.headOfficeAddress",
  "*.contactAddress", "*.deliveryAddress", "*.password", "*.token", "*.pkcs12Password",
  "req.headers.authorization", "req.headers.cookie",
];

export function createLogger(level: string) {
  return pino({ level, redact: { paths: redactedPaths, censor: "[ẩn]" }, base: { service: "chungthu" } });
}

export type Logger = pino.Logger;
