import { createHash, createHmac } from "node:crypto";
import { expect } from "chai";
import fc from "fast-check";
import * as ldapjs from "ldapjs";
import { dnKey, escapeDnValue, formatDn, parseDn } from "../../src/directory/dn";
import { isPublishable, personId, placementOf, splitVietnameseName, type CertificateRow } from "../../src/directory/dit";
import { DirectoryIndex, normalizeFilter, SearchTimeLimitExceeded } from "../../src/directory/searchIndex";
import { diffEntry } from "../../src/directory/diff";
import { project } from "../../src/directory/server";

const BASE = "o=Ban Co yeu Chinh phu,c=VN";
const KEY = Buffer.alloc(32, 7);

describe("directory DNs (RFC 4514)", () => {
  it("escapes the special characters and leading/trailing spaces, keeps Vietnamese letters", () => {
    expect(escapeDnValue('Sở Tư pháp, "Hà Nội" + <số 1>; a\\b')).to.equal('Sở Tư pháp\\, \\"Hà Nội\\" \\+ \\<số 1\\>\\; a\\\\b');
    expect(escapeDnValue("#1 ")).to.equal("\\#1\\ ");
    expect(escapeDnValue(" x")).to.equal("\\ x");
  });

  it("parses what it formats, for any value", () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 40 }), fc.string({ minLength: 1, maxLength: 40 }), (a, b) => {
        const rdns = [[{ type: "cn", value: a.normalize("NFC") }], [{ type: "ou", value: b.normalize("NFC") }]];
        const back = parseDn(formatDn(rdns));
        expect(back).to.deep.equal(rdns);
      }),
      { numRuns: 300 },
    );
  });

  it("decodes hex escapes as UTF-8 and compares DNs without case", () => {
    expect(parseDn("ou=V\\c4\\83n ph\\c3\\b2ng,o=X")[0][0].value).to.equal("Văn phòng");
    expect(dnKey("OU=Văn Phòng , O=x")).to.equal(dnKey("ou=văn phòng,o=X"));
    expect(dnKey("cn=a\\,b,o=x")).to.not.equal(dnKey("cn=a,cn=b,o=x"));
  });
});

describe("directory information tree", () => {
  const row = (over: Partial<CertificateRow> = {}): CertificateRow => ({
    serial: "1a", ca_name: "root", status: "issued", profile: "individual", subject_cn: "Nguyễn Văn An",
    subject_o: "Văn phòng Chính phủ", email: "an@vpcp.gov.vn", uid: "CCCD:001080000001", not_before: null,
    not_after: new Date(Date.now() + 86400_000).toISOString(), der: Buffer.from([1]), handed_over_at: "2026-01-01T00:00:00Z", ...over,
  });

  it("splits Vietnamese names: family name first, given name last", () => {
    expect(splitVietnameseName("Nguyễn Thị Minh Khai")).to.deep.equal({ sn: "Nguyễn", givenName: "Khai" });
    expect(splitVietnameseName("  Lê   Cường ")).to.deep.equal({ sn: "Lê", givenName: "Cường" });
    expect(splitVietnameseName("Hùng")).to.deep.equal({ sn: "Hùng" });
  });

  it("places a person under ou=people of the agency with a stable id that hides the identity number", () => {
    const p = placementOf(row(), { ou: [], cn: "Nguyễn Văn An", o: "Văn phòng Chính phủ, Hà Nội", uid: "CCCD:001080000001" }, BASE, KEY);
    expect(p.dn).to.equal(`uid=${personId("CCCD:001080000001", KEY)},ou=people,ou=Văn phòng Chính phủ\\, Hà Nội,${BASE}`);
    expect(p.dn).to.not.include("001080000001");
    expect(p.chain.map((c) => c.dn)).to.deep.equal([BASE, `ou=Văn phòng Chính phủ\\, Hà Nội,${BASE}`, `ou=people,ou=Văn phòng Chính phủ\\, Hà Nội,${BASE}`]);
    expect(personId("CCCD:001080000001", KEY)).to.match(/^p[0-9a-f]{20}$/);
    // Keyed: without the provider's key the RDN cannot be computed from an identity number.
    const unkeyed = "p" + createHash("sha256").update("chungthu/person/CCCD:001080000001").digest("hex").slice(0, 20);
    expect(personId("CCCD:001080000001", KEY)).to.not.equal(unkeyed);
    expect(personId("CCCD:001080000001", Buffer.alloc(32, 8))).to.not.equal(personId("CCCD:001080000001", KEY));
    expect(personId("CCCD:001080000001", KEY)).to.equal(
      "p" + createHmac("sha256", KEY).update("chungthu/person/CCCD:001080000001").digest("hex").slice(0, 20));
  });

  it("publishes only issued, handed-over, unexpired certificates", () => {
    const now = new Date();
    expect(isPublishable(row(), now)).to.equal(true);
    expect(isPublishable(row({ status: "revoked" }), now)).to.equal(false);
    expect(isPublishable(row({ handed_over_at: null }), now)).to.equal(false);
    expect(isPublishable(row({ not_after: new Date(Date.now() - 1000).toISOString() }), now)).to.equal(false);
  });
});

describe("embedded directory index", () => {
  const index = new DirectoryIndex();
  before(() => {
    index.put({ dn: BASE, attributes: { objectClass: ["top", "organization"], o: ["Ban Co yeu Chinh phu"] } });
    for (let i = 0; i < 1000; i++) {
      index.put({ dn: `uid=u${i},${BASE}`, attributes: { objectClass: ["inetOrgPerson"], uid: [`u${i}`], mail: [`u${i}@x.vn`], cn: [`Người ${i}`], sn: ["Người"] } });
    }
  });
  const f = (s: string) => normalizeFilter((ldapjs as any).parseFilter(s));

  it("answers indexed equality, and/or and unindexed filters alike", () => {
    expect([...index.search(BASE.toLowerCase(), "sub", f("(mail=U7@X.VN)"))].map((e) => e.dn)).to.deep.equal([`uid=u7,${BASE}`]);
    expect([...index.search("", "sub", f("(&(objectClass=inetOrgPerson)(|(uid=u1)(uid=u2)))"))]).to.have.length(2);
    expect([...index.search("", "sub", f("(cn=*ời 99*)"))].map((e) => e.dn).sort()).to.have.length(11);
    expect([...index.search("", "sub", f("(!(sn=*))"))]).to.have.length(1);
  });

  it("stops a search past its time limit", () => {
    expect(() => [...index.search("", "sub", f("(cn=*zz*)"), Date.now() - 1)]).to.throw(SearchTimeLimitExceeded);
  });

  it("counts replaced entries as drift", () => {
    const copy = new DirectoryIndex();
    copy.put({ dn: BASE, attributes: { objectClass: ["top"] } });
    expect(copy.replaceAll([{ dn: BASE, attributes: { objectClass: ["top"] } }])).to.equal(0);
    expect(copy.replaceAll([{ dn: BASE, attributes: { objectClass: ["top", "organization"] } }])).to.equal(1);
  });
});

describe("attribute selection and diff", () => {
  it("projects attributes without case and without options", () => {
    const attrs = { cn: ["a"], "userCertificate;binary": [Buffer.from([1])], mail: ["m"] };
    expect(Object.keys(project(attrs, ["USERCERTIFICATE"]))).to.deep.equal(["userCertificate;binary"]);
    expect(project(attrs, ["1.1"])).to.deep.equal({});
    expect(project(attrs, [])).to.equal(attrs);
  });

  it("diffs value by value, strings without case, DER byte for byte", () => {
    const d = diffEntry(
      { dn: "cn=a", attributes: { cn: ["Á"], "userCertificate;binary": [Buffer.from([1]), Buffer.from([2])] } },
      { dn: "cn=a", attributes: { cn: ["á"], "userCertificate;binary": [Buffer.from([2]), Buffer.from([3])] } },
    )!;
    expect(d.change).to.equal("modify");
    expect(d.add).to.deep.equal({ "userCertificate;binary": [Buffer.from([1])] });
    expect(d.remove).to.deep.equal({ "userCertificate;binary": [Buffer.from([3])] });
  });
});
