/** Texts of the status and time services (CRL, OCSP, TSA) that people read. */
export const status = {
  crlNotFound: (ca: string) => `Chưa có danh sách chứng thư số bị thu hồi (CRL) của CA "${ca}".`,
  // RFC 3161 PKIFreeText of rejections (statusString), read by relying parties' tools.
  tsaBadRequest: "Yêu cầu cấp dấu thời gian không hợp lệ.",
  tsaBadDataFormat: "Dữ liệu yêu cầu cấp dấu thời gian không đúng định dạng.",
  tsaBadAlg: "Thuật toán băm không được hỗ trợ (chỉ SHA-256, SHA-384, SHA-512).",
  tsaUnacceptedPolicy: "Chính sách dấu thời gian yêu cầu không được chấp nhận.",
  tsaUnacceptedExtension: "Phần mở rộng trong yêu cầu không được hỗ trợ.",
  tsaSystemFailure: "Hệ thống cấp dấu thời gian tạm thời không phục vụ được.",
};
