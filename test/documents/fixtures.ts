import type { DocumentDossier, DossierKind } from "../../src/documents";

const given = ["An", "Bình", "Cường", "Dũng", "Giang", "Hương", "Khánh", "Linh", "Minh", "Ngọc", "Phương", "Quỳnh", "Sơn", "Thảo", "Uyên", "Việt", "Xuân", "Yến"];
const family = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"];
const middle = ["Văn", "Thị", "Hữu", "Thu", "Đức", "Ngọc", "Minh", "Quốc"];

/** A unique Vietnamese name for row i (first, middle and given names vary; no digits). */
export function personName(i: number): string {
  const a = family[i % family.length];
  const b = middle[Math.floor(i / family.length) % middle.length];
  const c = given[Math.floor(i / (family.length * middle.length)) % given.length];
  const d = given[(i * 7 + 3) % given.length];
  return `${a} ${b} ${c} ${d}`;
}

const baseAgency = {
  name: "Sở Khoa học và Công nghệ tỉnh Thừa Thiên Huế",
  headOfficeAddress: "Số 6 Trần Quốc Toản, phường Đông Ba, thành phố Huế, tỉnh Thừa Thiên Huế",
  contactAddress: "Tầng 3, số 6 Trần Quốc Toản, thành phố Huế",
  phone: "0234 3822 515",
  fax: "0234 3822 516",
  email: "skhcn@thuathienhue.gov.vn",
  taxCode: "3300101234",
  budgetCode: "1012345",
};

export function subscriber(i: number) {
  return {
    fullName: personName(i),
    dateOfBirth: `19${String(60 + (i % 40)).padStart(2, "0")}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`,
    idType: "CCCD",
    idNumber: `0460${String(80000000 + i * 7).padStart(8, "0")}`,
    idIssueDate: "2021-05-12",
    idIssuePlace: "Cục Cảnh sát QLHC về TTXH",
    email: `cb${i + 1}.skhcn@thuathienhue.gov.vn`,
    workplace: i % 3 ? "Văn phòng Sở" : "Phòng Quản lý công nghệ",
    province: "Thừa Thiên Huế",
    position: i % 5 ? "Chuyên viên" : "Trưởng phòng",
    mobile: `09${String(10000000 + i).padStart(8, "0")}`,
    previousCertificateSerial: i % 4 === 0 ? `5401${(0xa0000 + i).toString(16)}f3c2e1` : null,
  };
}

const receiver = {
  fullName: "Lê Thị Hồng Nhung", idType: "CCCD", idNumber: "046190001234", idIssueDate: "2022-01-05",
  idIssuePlace: "Cục Cảnh sát QLHC về TTXH", position: "Văn thư", mobile: "0905123456",
  email: "nhung.lth@thuathienhue.gov.vn", deliveryAddress: "Số 6 Trần Quốc Toản, phường Đông Ba, thành phố Huế",
};

const meta = {
  id: "0b6f7f9e-3c1a-4d59-9a51-8f0e2f6f1a11", number: "0123/2026/HS", status: "received", version: 3,
  commitment: true, channel: "post", receivedAt: "2026-03-04T03:15:00.000Z",
  createdAt: "2026-03-02T08:00:00.000Z", updatedAt: "2026-03-04T09:30:00.000Z",
};

/** A dossier of each kind, shaped as the dossiers store presents it. */
export function dossier(kind: DossierKind, people = 12): DocumentDossier {
  const agency = { ...baseAgency };
  const subscribers = Array.from({ length: people }, (_, i) => subscriber(i));
  const assets = [
    { name: "Hệ thống quản lý văn bản và điều hành", kind: "software", identifier: "qlvb.thuathienhue.gov.vn" },
    { name: "Cổng dịch vụ công tỉnh", kind: "service", identifier: "dichvucong.thuathienhue.gov.vn" },
  ];
  const certificates = [
    { serial: "4f2a9c0b1d3e5f60718293a4b5c6d7e8", holderName: "Nguyễn Văn An" },
    { serial: "5b3c0d1e2f405162738495a6b7c8d9ea", holderName: "Trần Thị Bích" },
  ];
  switch (kind) {
    case "individual":
    case "organization":
      return { ...meta, kind, agency, certificateType: "Chứng thư chữ ký số cho cá nhân", quantity: people, subscribers, assets, receiver };
    case "device":
      return { ...meta, kind, agency, certificateType: "Chứng thư chữ ký số cho dịch vụ", quantity: assets.length, assets, subscribers: subscribers.slice(0, 2), receiver };
    case "renewal_change":
      return {
        ...meta, kind, agency, requestType: "change", certificates, quantity: certificates.length, receiver,
        changes: [{ field: "position", newValue: "Phó Giám đốc Sở" }, { field: "email", newValue: "an.nv@thuathienhue.gov.vn" }],
      };
    case "revocation":
      return { ...meta, kind, agency, certificates, quantity: certificates.length, reason: "keyCompromise", reasonDetail: "Thiết bị bị mất trong chuyến công tác ngày 01/3/2026.", requestedAt: "2026-03-03T01:00:00.000Z", receiver };
    case "device_recovery":
      return {
        ...meta, kind, agency, quantity: 1, reason: "Nhập sai mã PIN quá số lần cho phép, thiết bị bị khóa.",
        devices: [{ serial: "EP3003-20260417", model: "USB Token ePass3003" }],
        holder: { fullName: "Phạm Quốc Huy", idType: "CCCD", idNumber: "046089001122", position: "Phó Chánh Văn phòng", workplace: "Văn phòng Sở", mobile: "0914222333", email: "huy.pq@thuathienhue.gov.vn" },
        receiver,
      };
  }
}
