import { expect } from "chai";
import { z } from "zod";
import { DossierInputSchema, MAX_LIST, REVOCATION_REASONS, type DossierInput } from "../../../src/ra/dossiers/schema";
import { provinceCodes, canonicalPhone, fold } from "../../../src/ra/dossiers/fields";
import { sampleDossier, sampleSubscriber } from "../../support/dossiers";

z.config(z.locales.vi());

/** Parses and returns the issues as "path → message". */
function issues(input: unknown): Record<string, string> {
  const r = DossierInputSchema.safeParse(input);
  if (r.success) return {};
  return Object.fromEntries(r.error.issues.map((i) => [i.path.join("."), i.message]));
}
const ok = (input: unknown): DossierInput => {
  const r = DossierInputSchema.safeParse(input);
  if (!r.success) throw new Error(JSON.stringify(r.error.issues, null, 1));
  return r.data;
};
/** Vietnamese: the message carries Vietnamese letters. */
const VI = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;

function expectIssue(input: unknown, path: string, pattern: RegExp) {
  const all = issues(input);
  expect(all, `issues: ${JSON.stringify(all)}`).to.have.property(path);
  expect(all[path]).to.match(pattern);
  expect(all[path]).to.match(VI);
}

describe("dossier schema", () => {
  it("accepts a valid dossier of every kind", () => {
    for (const kind of ["individual", "organization", "device", "renewal_change", "revocation", "device_recovery"]) {
      expect(ok(sampleDossier(kind)).kind).to.equal(kind);
    }
  });

  it("holds the 63 province codes of Circular 07/2016/TT-BCA", () => {
    expect(Object.keys(provinceCodes)).to.have.length(63);
    expect(provinceCodes["001"]).to.equal("Hà Nội");
    expect(provinceCodes["079"]).to.equal("Hồ Chí Minh");
    expect(provinceCodes["096"]).to.equal("Cà Mau");
    expect(provinceCodes).to.not.have.property("003");
  });

  describe("required fields", () => {
    it("names a missing nested field", () => {
      const d = sampleDossier();
      delete d.agency.name;
      delete d.subscribers[2].fullName;
      expectIssue(d, "agency.name", /Tên cơ quan.*bắt buộc/);
      expectIssue(d, "subscribers.2.fullName", /Họ và tên.*bắt buộc/);
    });
    it("refuses blank text (spaces only)", () => {
      const d = sampleDossier();
      d.agency.headOfficeAddress = "   ";
      expectIssue(d, "agency.headOfficeAddress", /không được để trống/);
    });
    it("requires the list of the kind", () => {
      const d = sampleDossier("device");
      delete d.assets;
      expectIssue(d, "assets", /Danh sách thiết bị.*bắt buộc/);
      const e = sampleDossier("individual");
      e.subscribers = [];
      expectIssue(e, "subscribers", /ít nhất một/);
    });
    it("names an unknown or missing kind at `kind`", () => {
      expectIssue({ ...sampleDossier(), kind: "personal" }, "kind", /Loại hồ sơ/);
      const d = sampleDossier();
      delete d.kind;
      expectIssue(d, "kind", /Loại hồ sơ/);
    });
    it("refuses a field that is not on the form, naming it", () => {
      const all = issues({ ...sampleDossier(), subcribers: [] });
      expect(all[""]).to.match(/không có trong mẫu hồ sơ.*subcribers/);
    });
    it("requires the channel from its list", () => {
      expectIssue({ ...sampleDossier(), channel: "fax" }, "channel", /in_person, post, electronic/);
    });
  });

  describe("e-mail", () => {
    it("refuses a malformed address", () => {
      const d = sampleDossier();
      d.subscribers[1].email = "nguoi2@";
      d.agency.email = "vanthu mof.gov.vn";
      expectIssue(d, "subscribers.1.email", /Thư điện tử công vụ.*định dạng/);
      expectIssue(d, "agency.email", /định dạng thư điện tử/);
    });
  });

  describe("phone numbers", () => {
    it("folds +84 and separators to the national form", () => {
      expect(canonicalPhone("+84 912.345.678")).to.equal("0912345678");
      expect(canonicalPhone("(024) 3822-1234")).to.equal("02438221234");
      const d = sampleDossier();
      d.subscribers[0].mobile = "+84 912 345 600";
      expect((ok(d) as any).subscribers[0].mobile).to.equal("0912345600");
    });
    it("refuses a mobile number that is not 10 digits 0[35789]…", () => {
      for (const bad of ["0123456789", "091234567", "09123456789", "0412345678", "abc"]) {
        const d = sampleDossier();
        d.subscribers[0].mobile = bad;
        expectIssue(d, "subscribers.0.mobile", /di động Việt Nam 10 chữ số/);
      }
    });
    it("takes a landline with area code or a mobile for the agency, and only a landline as fax", () => {
      const d = sampleDossier();
      d.agency.phone = "0236 3822 123";
      d.agency.fax = "+84 24 3822 1235";
      expect(ok(d).agency.phone).to.equal("02363822123");
      d.agency.phone = "0912345678";
      expect(ok(d).agency.phone).to.equal("0912345678");
      d.agency.phone = "3822 1234";
      expectIssue(d, "agency.phone", /mã vùng/);
      const f = sampleDossier();
      f.agency.fax = "0912345678";
      expectIssue(f, "agency.fax", /Số fax.*cố định/);
    });
  });

  describe("identity numbers", () => {
    const withId = (idType: string, idNumber: string) => {
      const d = sampleDossier();
      d.subscribers[1].idType = idType;
      d.subscribers[1].idNumber = idNumber;
      return d;
    };
    it("takes a CCCD of 12 digits starting with a province code", () => {
      expect(ok(withId("CCCD", "079190000123"))).to.be.ok;
      expect(ok(withId("CCCD", "096 190 000 123")).kind).to.equal("individual");
    });
    it("refuses a CCCD that is not 12 digits", () => {
      expectIssue(withId("CCCD", "07919000012"), "subscribers.1.idNumber", /CCCD gồm đúng 12 chữ số/);
      expectIssue(withId("CCCD", "07919000012A"), "subscribers.1.idNumber", /12 chữ số/);
    });
    it("refuses a CCCD whose first 3 digits are not a province code", () => {
      expectIssue(withId("CCCD", "003190000123"), "subscribers.1.idNumber", /"003" không phải mã tỉnh/);
      expectIssue(withId("CCCD", "097190000123"), "subscribers.1.idNumber", /Thông tư 07\/2016\/TT-BCA/);
    });
    it("takes a CMND of 9 or 12 digits and refuses other lengths", () => {
      expect(ok(withId("CMND", "012345678"))).to.be.ok;
      expect(ok(withId("CMND", "999999999999"))).to.be.ok;
      expectIssue(withId("CMND", "0123456789"), "subscribers.1.idNumber", /CMND gồm 9 hoặc 12 chữ số/);
    });
    it("takes a passport of one letter and 7 digits (upper-cased)", () => {
      expect((ok(withId("hc", "c1234567")) as any).subscribers[1]).to.include({ idType: "HC", idNumber: "C1234567" });
      expectIssue(withId("HC", "12345678"), "subscribers.1.idNumber", /hộ chiếu gồm 1 chữ cái/);
    });
    it("refuses an unknown identity type", () => {
      expectIssue(withId("GPLX", "012345678"), "subscribers.1.idType", /CCCD, CMND, HC/);
    });
    it("refuses the same identity number twice in one dossier, at the second row", () => {
      const d = sampleDossier("individual", 4);
      d.subscribers[3].idNumber = d.subscribers[1].idNumber;
      expectIssue(d, "subscribers.3.idNumber", /trùng với người ở dòng 2/);
      expect(issues(d)).to.not.have.property("subscribers.1.idNumber");
    });
    it("checks the receiver's and the holder's numbers too", () => {
      const d = sampleDossier();
      d.receiver.idNumber = "12345";
      expectIssue(d, "receiver.idNumber", /CCCD \(12 chữ số\), CMND/);
      const r = sampleDossier("device_recovery");
      r.holder.idNumber = "000190000123";
      expectIssue(r, "holder.idNumber", /không phải mã tỉnh/);
    });
  });

  describe("codes", () => {
    it("takes a tax code of 10 digits or 10-3", () => {
      const d = sampleDossier("organization");
      d.agency.taxCode = "0100100079-001";
      expect(ok(d).agency.taxCode).to.equal("0100100079-001");
      for (const bad of ["010010007", "0100100079-01", "01001000790", "MST0100100"]) {
        d.agency.taxCode = bad;
        expectIssue(d, "agency.taxCode", /Mã số thuế.*10 chữ số/);
      }
    });
    it("takes a budget-relation code of exactly 7 digits", () => {
      const d = sampleDossier("organization");
      d.agency.budgetCode = "105432";
      expectIssue(d, "agency.budgetCode", /Mã quan hệ ngân sách.*7 chữ số/);
      d.agency.budgetCode = "10543210";
      expectIssue(d, "agency.budgetCode", /7 chữ số/);
    });
    it("needs a tax code or a budget code for an organisation", () => {
      const d = sampleDossier("organization");
      delete d.agency.taxCode;
      d.agency.budgetCode = "";
      expectIssue(d, "agency.taxCode", /mã số thuế hoặc mã quan hệ ngân sách/);
      const i = sampleDossier("individual");
      delete i.agency.taxCode;
      delete i.agency.budgetCode;
      expect(ok(i)).to.be.ok;
    });
    it("refuses a certificate serial that is not hexadecimal", () => {
      const d = sampleDossier();
      d.subscribers[0].previousCertificateSerial = "XYZ-1";
      expectIssue(d, "subscribers.0.previousCertificateSerial", /thập lục phân/);
      d.subscribers[0].previousCertificateSerial = "00:5A:3F";
      expect((ok(d) as any).subscribers[0].previousCertificateSerial).to.equal("5a3f");
    });
  });

  describe("quantity and commitment", () => {
    it("refuses a quantity that differs from the list's length", () => {
      expectIssue({ ...sampleDossier("individual", 3), quantity: 4 }, "quantity", /\(4\) không khớp.*\(3\)/);
      expectIssue({ ...sampleDossier("device", 2), quantity: 1 }, "quantity", /danh sách thiết bị/);
      expectIssue({ ...sampleDossier("revocation"), quantity: 3 }, "quantity", /không khớp/);
    });
    it("takes a 10,000-person list (issue 9's batch) and refuses one more, in Vietnamese", () => {
      expect(MAX_LIST).to.equal(10_000);
      const d = sampleDossier("individual", 1);
      d.subscribers = Array.from({ length: MAX_LIST }, (_, i) => sampleSubscriber(i));
      d.quantity = MAX_LIST;
      expect((ok(d) as any).subscribers).to.have.length(MAX_LIST);
      d.subscribers.push(sampleSubscriber(MAX_LIST));
      d.quantity = MAX_LIST + 1;
      expectIssue(d, "subscribers", /tối đa 10000 dòng/);
      expectIssue(d, "quantity", /tối đa 10000 dòng/);
    });
    it("refuses a quantity that is not a positive integer", () => {
      expectIssue({ ...sampleDossier(), quantity: 0 }, "quantity", /số nguyên dương/);
      expectIssue({ ...sampleDossier(), quantity: 2.5 }, "quantity", /số nguyên dương/);
    });
    it("requires the commitment to be given", () => {
      expectIssue({ ...sampleDossier(), commitment: false }, "commitment", /cam kết/);
      const d = sampleDossier();
      delete d.commitment;
      expectIssue(d, "commitment", /cam kết/);
    });
  });

  describe("dates", () => {
    it("wants YYYY-MM-DD that exists", () => {
      const d = sampleDossier();
      d.subscribers[0].dateOfBirth = "05/03/1985";
      d.subscribers[1].dateOfBirth = "1985-02-29";
      expectIssue(d, "subscribers.0.dateOfBirth", /Ngày sinh.*YYYY-MM-DD/);
      expectIssue(d, "subscribers.1.dateOfBirth", /YYYY-MM-DD/);
    });
    it("refuses a birth date in the future and an issue date before birth", () => {
      const d = sampleDossier();
      d.subscribers[0].dateOfBirth = "2999-01-01";
      d.subscribers[1].idIssueDate = "1980-01-01";
      expectIssue(d, "subscribers.0.dateOfBirth", /không được sau ngày hôm nay/);
      expectIssue(d, "subscribers.1.idIssueDate", /không được trước ngày sinh/);
    });
    it("stores receivedAt in UTC, a bare date meaning midnight in Viet Nam", () => {
      expect(ok({ ...sampleDossier(), receivedAt: "2026-11-25T09:30:00+07:00" }).receivedAt).to.equal("2026-11-25T02:30:00.000Z");
      expect(ok({ ...sampleDossier(), receivedAt: "2026-11-25" }).receivedAt).to.equal("2026-11-24T17:00:00.000Z");
      expectIssue({ ...sampleDossier(), receivedAt: "hôm qua" }, "receivedAt", /ISO 8601/);
    });
  });

  describe("forms 04–06", () => {
    it("renewal/change: needs certificates by serial and, for a change, the changed fields", () => {
      const d = sampleDossier("renewal_change");
      delete d.changes;
      expectIssue(d, "changes", /ít nhất một thông tin thay đổi/);
      d.requestType = "renewal";
      expect(ok(d)).to.be.ok;
      d.requestType = "extend";
      expectIssue(d, "requestType", /renewal, change/);
    });
    it("revocation: takes the RFC 5280 reason names only, serials once each", () => {
      for (const reason of REVOCATION_REASONS) expect(ok({ ...sampleDossier("revocation"), reason })).to.be.ok;
      expectIssue({ ...sampleDossier("revocation"), reason: "lost" }, "reason", /keyCompromise/);
      expectIssue({ ...sampleDossier("revocation"), reason: "removeFromCRL" }, "reason", /Lý do/);
      const d = sampleDossier("revocation");
      d.certificates[1].serial = "0A1B2C";
      expectIssue(d, "certificates.1.serial", /trùng với dòng 1/);
    });
    it("device recovery: needs the devices, the holder and a reason", () => {
      const d = sampleDossier("device_recovery");
      delete d.holder.mobile;
      d.reason = "";
      d.devices = [];
      expectIssue(d, "holder.mobile", /bắt buộc/);
      expectIssue(d, "reason", /Lý do/);
      expectIssue(d, "devices", /ít nhất một/);
    });
  });

  describe("normalisation", () => {
    it("trims and turns every text into NFC", () => {
      const d = sampleDossier();
      d.agency.name = "  Bộ Tài chính  ".normalize("NFD");
      d.subscribers[0].fullName = "Nguyễn Thị Ánh Tuyết".normalize("NFD");
      d.subscribers[0].idIssuePlace = " Cục Cảnh sát QLHC về TTXH ".normalize("NFD");
      expect(d.agency.name).to.not.equal(d.agency.name.normalize("NFC"));
      const out = ok(d) as any;
      expect(out.agency.name).to.equal("Bộ Tài chính".normalize("NFC"));
      expect(out.subscribers[0].fullName).to.equal("Nguyễn Thị Ánh Tuyết".normalize("NFC"));
      expect(out.subscribers[0].idIssuePlace).to.equal("Cục Cảnh sát QLHC về TTXH".normalize("NFC"));
    });
    it("folds for search: case, diacritics and đ", () => {
      expect(fold("Sở Thông tin và Truyền thông ĐÀ NẴNG")).to.equal("so thong tin va truyen thong da nang");
      expect(fold("Bộ Tài chính".normalize("NFD"))).to.equal("bo tai chinh");
    });
    it("treats empty optional fields as absent", () => {
      const d = sampleDossier();
      d.agency.fax = "";
      d.agency.contactAddress = null;
      const out = ok(d);
      expect(out.agency.fax).to.equal(undefined);
      expect(JSON.parse(JSON.stringify(out)).agency).to.not.have.property("fax");
      expect(out.agency.contactAddress).to.equal(undefined);
    });
  });
});
