import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { expect } from "chai";
import { hasCommand, requirePeer } from "../support/peers";
import { subjectOf } from "../../src/directory/dit";

/**
 * subjectOf() reads the subject Name straight from the DER (the batched publisher reads thousands
 * per second). Checked against openssl's reading of certificates openssl made, with the subject in
 * UTF8String, BMPString and (falling back to the ASN.1 parser) T61String, and on broken input.
 */
describe("directory: the subject read from the certificate", function () {
  let dir: string;
  before(function () {
    requirePeer(this, "openssl", hasCommand("openssl"), "apt-get install openssl");
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "subject-"));
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", path.join(dir, "k.pem")]);
  });
  after(() => dir && fs.rmSync(dir, { recursive: true, force: true }));

  const make = (mask: string, subj: string) => {
    const cnf = path.join(dir, `${mask}.cnf`);
    fs.writeFileSync(cnf, `[req]\ndistinguished_name=dn\nstring_mask=${mask}\nutf8=yes\n[dn]\n`);
    const pem = execFileSync("openssl", ["req", "-x509", "-new", "-key", path.join(dir, "k.pem"), "-config", cnf, "-subj", subj, "-days", "10"], { encoding: "utf8" });
    const der = execFileSync("openssl", ["x509", "-outform", "DER"], { input: pem });
    const text = execFileSync("openssl", ["x509", "-noout", "-subject", "-nameopt", "multiline,-esc_msb,utf8"], { input: pem, encoding: "utf8" });
    const fields: Record<string, string[]> = {};
    for (const line of text.split("\n").slice(1)) {
      const m = /^\s+(\w+)\s+= (.*)$/.exec(line);
      if (m) (fields[m[1]] ??= []).push(m[2]);
    }
    return { der, fields };
  };
  const subj = "/C=VN/ST=Hà Nội/L=Ba Đình/O=Bộ Tài chính/OU=Vụ Pháp chế/OU=Phòng 2/title=Chuyên viên/CN=Nguyễn Thị Ánh/UID=CCCD:001185000222/serialNumber=SRV-1";

  for (const [mask, label] of [["utf8only", "UTF8String"], ["MASK:0x800", "BMPString"]] as const) {
    it(`reads a Vietnamese subject in ${label} as openssl does`, () => {
      const { der, fields } = make(mask, subj);
      expect(subjectOf(der)).to.deep.equal({
        cn: fields.commonName[0], o: fields.organizationName[0], ou: fields.organizationalUnitName, l: fields.localityName[0],
        st: fields.stateOrProvinceName[0], title: fields.title[0], uid: fields.userId[0], serialNumber: fields.serialNumber[0],
      });
      expect(subjectOf(der).cn).to.equal("Nguyễn Thị Ánh");
    });
  }

  it("reads a T61String subject (through the ASN.1 parser)", () => {
    const { der, fields } = make("MASK:0x4", "/O=Bo Tai chinh/CN=Nguyen Van A");
    expect(subjectOf(der)).to.deep.equal({ ou: [], o: fields.organizationName[0], cn: fields.commonName[0] });
  });

  it("throws on bytes that are not a certificate (the publisher then leaves the row out)", () => {
    const { der } = make("utf8only", subj);
    for (const bad of [Buffer.alloc(0), Buffer.from([0x30, 0x03, 0x02, 0x01]), der.subarray(0, 40), Buffer.from("not a certificate")]) {
      expect(() => subjectOf(bad)).to.throw();
    }
  });
});
