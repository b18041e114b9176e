/** Valid request bodies for the review tests (Mẫu 01, individuals, chosen names and identity numbers). */
export interface PersonOpts {
  fullName: string;
  idNumber: string;
  email: string;
}

export const person = (p: PersonOpts) => ({
  fullName: p.fullName,
  dateOfBirth: "1985-03-05",
  idType: "CCCD",
  idNumber: p.idNumber,
  idIssueDate: "2021-06-10",
  idIssuePlace: "Cục Cảnh sát quản lý hành chính về trật tự xã hội",
  email: p.email,
  workplace: "Sở Tài chính tỉnh Thừa Thiên Huế",
  province: "Thừa Thiên Huế",
  position: "Chuyên viên",
  mobile: "0912345678",
});

export function individualDossier(opts: { agencyName?: string; taxCode?: string; headOfficeAddress?: string; people?: PersonOpts[]; receiverEmail?: string } = {}) {
  const people = opts.people ?? [
    { fullName: "Nguyễn Văn An", idNumber: "046085000111", email: "nvan@stc.hue.gov.vn" },
    { fullName: "Trần Thị Bình", idNumber: "046185000222", email: "ttbinh@stc.hue.gov.vn" },
  ];
  return {
    kind: "individual",
    agency: {
      name: opts.agencyName ?? "Sở Tài chính tỉnh Thừa Thiên Huế",
      headOfficeAddress: opts.headOfficeAddress ?? "Số 3 Tôn Đức Thắng, phường Phú Hội, thành phố Huế",
      phone: "02343822123",
      email: "vanthu@stc.hue.gov.vn",
      ...(opts.taxCode ? { taxCode: opts.taxCode } : {}),
    },
    channel: "post",
    commitment: true,
    certificateType: "Chứng thư chữ ký số chuyên dùng công vụ cho cá nhân",
    quantity: people.length,
    subscribers: people.map(person),
    receiver: {
      fullName: "Lê Văn Cường", idType: "CCCD", idNumber: "046090000333", mobile: "0987654321",
      email: opts.receiverEmail ?? "lvcuong@stc.hue.gov.vn",
    },
  };
}
