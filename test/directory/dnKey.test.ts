import { expect } from "chai";
import fc from "fast-check";
import { dnKey, escapeDnValue, parseDn } from "../../src/directory/dn";
import { parentOfKey } from "../../src/directory/searchIndex";

/**
 * The embedded index takes an entry's parent key from its own key (the batched publisher puts
 * thousands of entries per second): it must equal the key of the parsed parent DN, whatever the
 * values hold (escaped commas, backslashes, '+', '#', Vietnamese letters, astral characters).
 */
describe("directory: DN keys", () => {
  const value = fc.array(fc.constantFrom("a", "B", " ", ",", "+", ";", "\\", "#", "=", "\"", "<", "ễ", "Đ", "0", "😀"), { minLength: 1, maxLength: 8 }).map((xs) => xs.join(""));
  const dn = fc.array(fc.tuple(fc.constantFrom("cn", "ou", "uid", "o", "OU"), value), { minLength: 1, maxLength: 5 })
    .map((rdns) => rdns.map(([t, v]) => `${t}=${escapeDnValue(v)}`).join(","));

  it("parentOfKey(dnKey(dn)) is the key of the parent DN", () => {
    fc.assert(fc.property(dn, (d) => {
      const rdns = parseDn(d);
      expect(parentOfKey(dnKey(rdns))).to.equal(dnKey(rdns.slice(1)));
    }), { numRuns: 2000, seed: 9 });
  });

  it("parseDn reads back what escapeDnValue wrote, astral characters and \\XX escapes included", () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.constantFrom("cn", "ou"), value), { minLength: 1, maxLength: 4 }), (rdns) => {
      const values = rdns.map(([, v]) => v.normalize("NFC"));
      const parsed = parseDn(rdns.map(([t, v]) => `${t}=${escapeDnValue(v)}`).join(","));
      expect(parsed.map((r) => r[0].value)).to.deep.equal(values.map((v) => v));
    }), { numRuns: 2000, seed: 9 });
    expect(parseDn("cn=Nguy\\E1\\BB\\85n,o=x")[0][0].value).to.equal("Nguyễn");
    expect(parseDn("cn=a\\2Cb  \\ ,o=x")[0][0].value).to.equal("a,b   ");
    expect(parseDn("cn=#0403616263,o=x")[0][0].value).to.equal("#0403616263");
  });
});
