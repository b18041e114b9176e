/** Vietnamese texts of the directory (LDAP) capability. */
export const directory = {
  readOnly: "Thư mục chỉ cho phép tra cứu; không được thêm, sửa hay xóa.",
  compareUnsupported: "Thư mục không hỗ trợ thao tác so sánh; hãy dùng tìm kiếm.",
  unauthenticatedBind: "Không chấp nhận đăng nhập không xác thực (có tên, không có mật khẩu).",
  anonymousOnly: "Thư mục công khai chỉ cho phép truy cập ẩn danh.",
  invalidDn: "Tên phân biệt (DN) không hợp lệ.",
  noSuchObject: "Không có mục này trong thư mục.",
  internal: "Lỗi nội bộ của thư mục.",
  resyncDone: (added: number, modified: number, removed: number) =>
    `Đồng bộ xong: thêm ${added} mục, sửa ${modified} mục, xóa ${removed} mục.`,
  resyncNothing: "Thư mục đã khớp với cơ sở dữ liệu; không có gì phải thay đổi.",
  resyncProgress: "Đồng bộ thư mục",
  phaseRead: "đọc cơ sở dữ liệu",
  phaseWrite: "ghi thư mục",
  resyncEmbedded: "Thư mục nhúng được dựng trực tiếp từ cơ sở dữ liệu; không cần đồng bộ. Dùng LDAP_URL để chỉ định thư mục ngoài.",
  drift: (n: number) => `Thư mục lệch so với cơ sở dữ liệu ở ${n} mục.`,
};
