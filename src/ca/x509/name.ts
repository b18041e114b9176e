import { oid, printableString, seq, set, utf8String } from "../asn1/der";
import { subjectAttributes, type SubjectInfo } from "../subject";

/**
 * RFC 5280 §4.1.2.4 Name as an RDNSequence, one attribute per RDN. DirectoryString values are
 * UTF8String (§4.1.2.6: "CAs MUST use UTF8String" for new names); countryName is a
 * PrintableString of two letters (X.520, RFC 5280 Appendix A).
 */
export function encodeName(s: SubjectInfo): Buffer {
  return seq(
    ...subjectAttributes(s).map((a) =>
      set(seq(oid(a.oid), a.oid === "2.5.4.6" ? printableString(a.value) : utf8String(a.value))),
    ),
  );
}
