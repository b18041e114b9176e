import { expect } from "chai";
import { parseSubscriberCsv, inferIdType } from "../../../src/ra/dossiers/subscriberCsv";
import { DomainError } from "../../../src/errors";
import { sampleSubscriber, subscriberCsv } from "../../support/dossiers";

describe("subscriber CSV (Mẫu 01)", () => {
  it("reads Vietnamese headers, a BOM and dd/mm/yyyy dates into JSON field names", () => {
    const r = parseSubscriberCsv(subscriberCsv([sampleSubscriber(0), sampleSubscriber(1)]));
    expect(r.people).to.have.length(2);
    expect(r.people[0]).to.include({ fullName: "Nguyễn Văn Thử 1", dateOfBirth: "1985-03-05", idType: "CCCD", idIssueDate: "2021-06-15", mobile: "0912345678" });
    expect(r.lines).to.deep.equal([2, 3]);
    expect(r.headerOf.idNumber).to.equal("Số CCCD/CMND/Hộ chiếu");
    expect(r.problems).to.deep.equal([]);
  });

  it("accepts semicolons, headers without accents or in other case, and NFD text", () => {
    const csv = subscriberCsv([sampleSubscriber(0)], { delimiter: ";", bom: false })
      .replace("Họ và tên", "HO VA TEN")
      .replace("Tỉnh/Thành phố", "Tỉnh / thành phố")
      .normalize("NFD");
    const r = parseSubscriberCsv(csv);
    expect(r.people[0].fullName).to.equal("Nguyễn Văn Thử 1".normalize("NFC"));
    expect(r.people[0].province).to.equal("Hà Nội");
  });

  it("infers the identity type when the column is absent", () => {
    expect(inferIdType("001085000001")).to.equal("CCCD");
    expect(inferIdType("012345678")).to.equal("CMND");
    expect(inferIdType("c1234567")).to.equal("HC");
    const csv = "Họ và tên,Ngày sinh,Số CCCD/CMND/Hộ chiếu,Ngày cấp,Nơi cấp,Thư điện tử công vụ,Cơ quan công tác,Tỉnh/Thành phố,Chức vụ,Số điện thoại di động\n"
      + "Lê Thị B,1/2/1990,B7654321,3/4/2020,Cục Quản lý xuất nhập cảnh,b@x.gov.vn,Sở Y tế,Huế,Bác sĩ,0988000111\n";
    const r = parseSubscriberCsv(csv);
    expect(r.people[0]).to.include({ idType: "HC", dateOfBirth: "1990-02-01", idIssueDate: "2020-04-03" });
  });

  it("reports unreadable dates and identity types by row and column", () => {
    const csv = subscriberCsv([sampleSubscriber(0), sampleSubscriber(1)]).replace("05/03/1985", "5 tháng 3").replace(",CCCD,031", ",Bằng lái,031");
    const r = parseSubscriberCsv(csv);
    expect(r.problems).to.have.length(2);
    expect(r.problems[0]).to.include({ field: "subscribers.0.dateOfBirth", row: 1, line: 2, column: "Ngày sinh" });
    expect(r.problems[0].message).to.match(/dd\/mm\/yyyy/);
    expect(r.problems[1]).to.include({ field: "subscribers.1.idType", row: 2, column: "Loại giấy tờ" });
    expect(r.problems[1].message).to.match(/CCCD, CMND hoặc Hộ chiếu/);
  });

  it("refuses a file without a required column, naming it", () => {
    const csv = subscriberCsv([sampleSubscriber(0)]).replace("Thư điện tử công vụ", "Ghi chú");
    expect(() => parseSubscriberCsv(csv)).to.throw(DomainError, /thiếu cột bắt buộc "Thư điện tử công vụ"/);
  });

  it("refuses an empty file and a broken quote with the line", () => {
    expect(() => parseSubscriberCsv("\uFEFF")).to.throw(DomainError, /không có dòng dữ liệu/);
    const broken = subscriberCsv([sampleSubscriber(0)]) + '3,"Trần Văn C,1985\n';
    try {
      parseSubscriberCsv(broken);
      expect.fail("should throw");
    } catch (e) {
      expect((e as DomainError).code).to.equal("csv_unreadable");
      expect((e as DomainError).message).to.match(/không đọc được ở dòng/);
    }
  });
});
