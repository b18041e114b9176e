/**
 * Valid request dossiers for tests, one per kind (other capabilities' tests may use them too).
 * Identity numbers are well-formed but fictitious.
 */
const PROVINCES = ["001", "031", "048", "079", "092"];

export function sampleSubscriber(i: number) {
  const code = PROVINCES[i % PROVINCES.length];
  return {
    fullName: `Nguyễn Văn Thử ${i + 1}`,
    dateOfBirth: "1985-03-05",
    idType: "CCCD",
    idNumber: `${code}085${String(100000 + i).padStart(6, "0")}`,
    idIssueDate: "2021-06-15",
    idIssuePlace: "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
    email: `nguoi${i + 1}@btc.gov.vn`,
    workplace: "Vụ Tổ chức cán bộ, Bộ Tài chính",
    province: "Hà Nội",
    position: "Chuyên viên",
    mobile: `09${String(12345678 + i).padStart(8, "0")}`,
  };
}

export const sampleAgency = () => ({
  name: "Bộ Tài chính",
  headOfficeAddress: "Số 28 Trần Hưng Đạo, phường Cửa Nam, Hà Nội",
  contactAddress: "Số 28 Trần Hưng Đạo, phường Cửa Nam, Hà Nội",
  phone: "024 2220 2828",
  fax: "024 2220 8091",
  email: "vanthu@mof.gov.vn",
  taxCode: "0100100079",
  budgetCode: "1054321",
});

export const sampleReceiver = () => ({
  fullName: "Trần Thị Nhận",
  idNumber: "001190123456",
  idIssueDate: "2022-01-10",
  idIssuePlace: "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
  position: "Văn thư",
  mobile: "0987654321",
  email: "vanthu@mof.gov.vn",
  deliveryAddress: "Số 28 Trần Hưng Đạo, Hà Nội",
});

export function sampleDossier(kind: string = "individual", n = 3): Record<string, any> {
  const base = { agency: sampleAgency(), channel: "in_person", commitment: true, receiver: sampleReceiver() };
  const people = Array.from({ length: n }, (_, i) => sampleSubscriber(i));
  switch (kind) {
    case "individual":
      return { kind, ...base, certificateType: "Chứng thư số cá nhân", quantity: n, subscribers: people };
    case "organization":
      return { kind, ...base, certificateType: "Chứng thư số tổ chức", quantity: n, subscribers: people };
    case "device":
      return {
        kind, ...base, certificateType: "Chứng thư số cho thiết bị, dịch vụ, phần mềm", quantity: n,
        assets: Array.from({ length: n }, (_, i) => ({ name: `Cổng dịch vụ công ${i + 1}`, kind: "service", identifier: `dvc${i + 1}.mof.gov.vn` })),
      };
    case "renewal_change":
      return { kind, ...base, requestType: "change", quantity: 1, certificates: [{ serial: "5A3F01" }], changes: [{ field: "position", newValue: "Phó Vụ trưởng" }] };
    case "revocation":
      return { kind, ...base, quantity: 2, certificates: [{ serial: "0a1b2c" }, { serial: "0a1b2d" }], reason: "keyCompromise", requestedAt: "2026-11-20T08:00:00+07:00" };
    case "device_recovery":
      return {
        kind, ...base, quantity: 1, devices: [{ serial: "TK-2024-000123", model: "USB Token ePass2003" }],
        holder: { fullName: "Lê Văn Giữ", idType: "CCCD", idNumber: "048090001234", mobile: "0912000111" }, reason: "Nhập sai mã PIN quá số lần cho phép",
      };
    default:
      throw new Error(kind);
  }
}

export const CSV_HEADERS = [
  "STT", "Họ và tên", "Ngày sinh", "Loại giấy tờ", "Số CCCD/CMND/Hộ chiếu", "Ngày cấp", "Nơi cấp", "Thư điện tử công vụ",
  "Cơ quan công tác", "Tỉnh/Thành phố", "Chức vụ", "Số điện thoại di động", "Số hiệu chứng thư cũ (nếu có)",
];

const dmy = (iso: string) => iso.split("-").reverse().join("/");
const cell = (v: string) => (/[",;\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A Mẫu 01 list as a clerk's CSV: BOM, Vietnamese headers, dd/mm/yyyy dates. */
export function subscriberCsv(people: ReturnType<typeof sampleSubscriber>[], opts: { bom?: boolean; delimiter?: string } = {}): string {
  const sep = opts.delimiter ?? ",";
  const lines = [CSV_HEADERS.join(sep)];
  people.forEach((p, i) => {
    lines.push([
      String(i + 1), p.fullName, dmy(p.dateOfBirth), p.idType, p.idNumber, dmy(p.idIssueDate), p.idIssuePlace, p.email,
      p.workplace, p.province, p.position, p.mobile, (p as { previousCertificateSerial?: string }).previousCertificateSerial ?? "",
    ].map(cell).join(sep));
  });
  return (opts.bom === false ? "" : "\uFEFF") + lines.join("\r\n") + "\r\n";
}
